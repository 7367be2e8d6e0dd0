// Plans in code: a team row names its plan, limits come from here.
export type Plan = {
  name: string;
  seats: number;
  storageBytes: number;
  metricPointsPerMonth: number;
  retentionDays: number;
};

export const plans: Record<string, Plan> = {
  free: { name: "free", seats: 5, storageBytes: 5 * 2 ** 30, metricPointsPerMonth: 50_000_000, retentionDays: 90 },
  team: { name: "team", seats: 50, storageBytes: 500 * 2 ** 30, metricPointsPerMonth: 2_000_000_000, retentionDays: 365 },
  enterprise: {
    name: "enterprise",
    seats: 10_000,
    storageBytes: 100 * 2 ** 40,
    metricPointsPerMonth: 1_000_000_000_000,
    retentionDays: 3650,
  },
};

export const planOf = (name: string): Plan => plans[name] ?? plans.free!;
