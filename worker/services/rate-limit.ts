import { sql } from "drizzle-orm";
import type { Config } from "../env";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";

// Fixed-window counters in Postgres: Workers share no memory across isolates,
// and the endpoints they guard (sign-up, log-in, adding members) touch the
// database anyway. `what` names what is counted, for the 429's message.
export type Limit = { key: string; limit: number; windowSeconds: number; what: string };

// The auth limit (AUTH_RATE_LIMIT per AUTH_RATE_WINDOW_SECONDS) for one counter.
export const authLimit = (config: Config, key: string, what = "attempts from this address"): Limit => ({
  key,
  limit: config.AUTH_RATE_LIMIT,
  windowSeconds: config.AUTH_RATE_WINDOW_SECONDS,
  what,
});

const windowOf = (windowSeconds: number, now: number) => new Date(Math.floor(now / 1000 / windowSeconds) * windowSeconds * 1000);

// Counts this attempt, then refuses it if the window is over its limit.
export async function hitRateLimit(db: Db, l: Limit, now = Date.now()): Promise<void> {
  const windowStart = windowOf(l.windowSeconds, now);
  const rows = await db.execute<{ count: number }>(sql`
    insert into rate_limits (key, window_start, count) values (${l.key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set count = rate_limits.count + 1
    returning count`);
  refuseOver(Number(rows.rows[0]?.count ?? 0), l, windowStart, now);
}

// Gives back an attempt that turned out fine, for counters meant to count only
// failures (log-in per account): counting first and refunding after keeps the
// limit exact under a burst of parallel guesses, which a check-then-count would not.
export async function refundRateLimit(db: Db, l: Limit, now = Date.now()): Promise<void> {
  const windowStart = windowOf(l.windowSeconds, now);
  await db.execute(sql`
    update rate_limits set count = count - 1
    where key = ${l.key} and window_start = ${windowStart.toISOString()} and count > 0`);
}

function refuseOver(count: number, l: Limit, windowStart: Date, now: number) {
  if (count <= l.limit) return;
  const retryAfter = Math.ceil((windowStart.getTime() + l.windowSeconds * 1000 - now) / 1000);
  throw new ApiError("rate_limited", `too many ${l.what}; try again in ${retryAfter} s`, {
    limit: l.limit,
    window_seconds: l.windowSeconds,
    retry_after_seconds: retryAfter,
  });
}

export async function sweepRateLimits(db: Db, olderThanSeconds = 86_400): Promise<void> {
  await db.execute(sql`delete from rate_limits where window_start < now() - make_interval(secs => ${olderThanSeconds})`);
}
