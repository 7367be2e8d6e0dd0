import type { Db } from "../lib/db";
import type { Limits } from "../lib/plans";
import { QuotaError, teamLimits } from "./team-limits";

// Per-team rate limits as token buckets held in this isolate's memory
// (docs/adr/0012): no database round trip beyond the cached teamLimits, so
// the check costs a map lookup and some arithmetic on the hot path. A bucket
// holds one second's worth (burst = the rate) and refills continuously.

type RateName = Extract<keyof Limits, "apiRequestsPerSecond" | "ingestPointsPerSecond">;

type Bucket = { tokens: number; at: number; rate: number };

// Bounded, so a flood of distinct teams cannot grow an isolate's memory
// without end; a dropped bucket comes back full, which errs on the side of
// letting a request through.
const MAX_BUCKETS = 20_000;

export class RateBuckets {
  private readonly buckets = new Map<string, Bucket>();

  // Takes `cost` tokens, or says how long until it could (seconds), leaving the
  // bucket untouched: a refused batch costs nothing. A cost above one second's
  // worth (a 10,000-point batch under a 1,000 points/s override) could never
  // fit, so it passes when the bucket is full and leaves it in debt: the
  // long-run rate holds and a client with big batches is slowed, not stuck.
  take(id: string, rate: number, cost: number, now = Date.now()): { ok: true } | { ok: false; retryAfter: number; used: number } {
    let b = this.buckets.get(id);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.evict(now);
      b = { tokens: rate, at: now, rate };
      this.buckets.set(id, b);
    }
    // A plan change (a new rate) takes effect with the cached limits.
    if (b.rate !== rate) b.rate = rate;
    const capacity = rate;
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    const need = Math.min(cost, capacity);
    if (cost > 0 && (rate <= 0 || b.tokens < need)) {
      // A rate of 0 refuses everything; a minute is as good an answer as any.
      const retryAfter = rate <= 0 ? 60 : (need - b.tokens) / rate;
      return { ok: false, retryAfter, used: Math.max(0, Math.ceil(capacity - b.tokens)) };
    }
    b.tokens -= cost;
    return { ok: true };
  }

  // Full buckets carry no state worth keeping; if none is full, the oldest goes.
  private evict(now: number) {
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * b.rate >= b.rate) this.buckets.delete(id);
    }
    if (this.buckets.size >= MAX_BUCKETS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }

  clear() {
    this.buckets.clear();
  }
}

const requests = new RateBuckets();
const points = new RateBuckets();

async function check(db: Db, teamId: string, name: RateName, buckets: RateBuckets, cost: number, what: string) {
  const { plan, limits } = await teamLimits(db, teamId);
  const limit = limits[name];
  const r = buckets.take(teamId, limit, cost);
  if (r.ok) return;
  const wait = Math.max(1, Math.ceil(r.retryAfter));
  throw new QuotaError(
    "rate",
    name,
    { limit, used: r.used, plan },
    `this team is over its rate of ${limit} ${what} per second (this request needs ${cost}); retry in ${wait} s`,
    wait,
  );
}

// One token per authenticated request, whatever the door (keys, tokens, sessions, MLflow).
export const checkApiRate = (db: Db, teamId: string) => check(db, teamId, "apiRequestsPerSecond", requests, 1, "API requests");

// One token per metric point, checked before anything of the batch is written.
export const checkIngestRate = (db: Db, teamId: string, pointCount: number) =>
  pointCount > 0 ? check(db, teamId, "ingestPointsPerSecond", points, pointCount, "metric points") : Promise.resolve();
