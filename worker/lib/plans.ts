// Plans as data: the one place limits come from. A team row names its plan
// and may carry per-team overrides (set by an operator: npm run admin); the
// effective limits are the plan's with the overrides on top.
export type Limits = {
  seats: number;
  storageBytes: number;
  metricPointsPerMonth: number;
  runsPerMonth: number;
  retentionDays: number;
  // Sustained rates per team; bursts up to one second's worth are allowed.
  ingestPointsPerSecond: number;
  apiRequestsPerSecond: number;
  // Longest a report's share link may live (issue 12).
  shareLinkMaxDays: number;
};

export type PlanName = "free" | "team" | "enterprise";

export const plans: Record<PlanName, Limits> = {
  free: {
    seats: 5,
    storageBytes: 5 * 2 ** 30,
    metricPointsPerMonth: 50_000_000,
    runsPerMonth: 10_000,
    retentionDays: 90,
    ingestPointsPerSecond: 100_000,
    apiRequestsPerSecond: 100,
    shareLinkMaxDays: 30,
  },
  team: {
    seats: 50,
    storageBytes: 500 * 2 ** 30,
    metricPointsPerMonth: 2_000_000_000,
    runsPerMonth: 200_000,
    retentionDays: 365,
    ingestPointsPerSecond: 1_000_000,
    apiRequestsPerSecond: 500,
    shareLinkMaxDays: 365,
  },
  enterprise: {
    seats: 10_000,
    storageBytes: 100 * 2 ** 40,
    metricPointsPerMonth: 1_000_000_000_000,
    runsPerMonth: 10_000_000,
    retentionDays: 3650,
    ingestPointsPerSecond: 10_000_000,
    apiRequestsPerSecond: 5_000,
    shareLinkMaxDays: 3650,
  },
};

export const planNames = Object.keys(plans) as PlanName[];
export const limitNames = Object.keys(plans.free) as (keyof Limits)[];

export const isPlanName = (name: string): name is PlanName => Object.hasOwn(plans, name);

export function effectiveLimits(plan: string, overrides: Record<string, number> = {}): Limits {
  const base = isPlanName(plan) ? plans[plan] : plans.free;
  const out = { ...base };
  for (const k of limitNames) {
    const v = overrides[k];
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) out[k] = v;
  }
  return out;
}

// Kept for callers that only need the plan's own values.
export const planOf = (name: string): Limits & { name: string } => ({ name: isPlanName(name) ? name : "free", ...effectiveLimits(name) });
