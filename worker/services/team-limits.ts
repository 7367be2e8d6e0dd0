import { eq } from "drizzle-orm";
import { teams } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { TtlCache } from "../lib/key-cache";
import { effectiveLimits, isPlanName, type Limits } from "../lib/plans";

// A team's plan and effective limits, cached per isolate for a few seconds:
// they sit on the ingest path, and a plan change reaching every isolate within
// the cache's life is soon enough (an operator action, not a race).
export type TeamLimits = { plan: string; limits: Limits };

const cache = new TtlCache<TeamLimits>(10_000);
const TTL_SECONDS = 10;

export async function teamLimits(db: Db, teamId: string): Promise<TeamLimits> {
  const hit = cache.get(teamId);
  if (hit) return hit;
  const [row] = await db.select({ plan: teams.plan, overrides: teams.planOverrides }).from(teams).where(eq(teams.id, teamId)).limit(1);
  const plan = row && isPlanName(row.plan) ? row.plan : "free";
  const value = { plan, limits: effectiveLimits(plan, row?.overrides ?? {}) };
  cache.set(teamId, value, TTL_SECONDS);
  return value;
}

// Drops the cached entry (the isolate that changed the plan sees it at once).
export const forgetTeamLimits = (teamId: string) => cache.delete(teamId);

export type QuotaFields = { limit: number; used: number; plan: string };

// A refusal names the limit, the plan's value, current usage and how to raise
// it: 402 quota_exceeded for quotas (seats, storage, points, runs), 429
// rate_limited with Retry-After for rates. Never a partial write: callers
// check before they write, in the same transaction where it matters.
export class QuotaError extends ApiError {
  readonly quota: QuotaFields & { name: string };

  constructor(kind: "quota" | "rate", name: keyof Limits, f: QuotaFields, message: string, retryAfterSeconds?: number) {
    const raise = "raise it by moving to a bigger plan (contact us), or ask an operator for a per-team override";
    super(kind === "quota" ? "quota_exceeded" : "rate_limited", `${message}; ${raise}`);
    this.quota = { name, ...f };
    this.fields = { ...f, limit_name: name };
    this.retryAfter = retryAfterSeconds;
  }
}
