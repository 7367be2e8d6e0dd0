import { sql } from "drizzle-orm";
import type { Config } from "../env";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";

// Fixed-window counters in Postgres: Workers share no memory across isolates,
// and the endpoints they guard (sign-up, log-in, adding members) touch the
// database anyway. `who` names what is limited in the 429's message.
export type Limit = { key: string; limit: number; windowSeconds: number; who: string };

// The auth limit (AUTH_RATE_LIMIT per AUTH_RATE_WINDOW_SECONDS) for one counter.
export const authLimit = (config: Config, key: string, who = "this address"): Limit => ({
  key,
  limit: config.AUTH_RATE_LIMIT,
  windowSeconds: config.AUTH_RATE_WINDOW_SECONDS,
  who,
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

// Refuses when the window is already full, without counting: for counters that
// only failures feed (log-in per account), so a user's own successes never lock them out.
export async function checkRateLimit(db: Db, l: Limit, now = Date.now()): Promise<void> {
  const windowStart = windowOf(l.windowSeconds, now);
  const rows = await db.execute<{ count: number }>(sql`
    select count from rate_limits where key = ${l.key} and window_start = ${windowStart.toISOString()}`);
  refuseOver(Number(rows.rows[0]?.count ?? 0) + 1, l, windowStart, now);
}

export async function countFailure(db: Db, l: Limit, now = Date.now()): Promise<void> {
  const windowStart = windowOf(l.windowSeconds, now);
  await db.execute(sql`
    insert into rate_limits (key, window_start, count) values (${l.key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set count = rate_limits.count + 1`);
}

function refuseOver(count: number, l: Limit, windowStart: Date, now: number) {
  if (count <= l.limit) return;
  const retryAfter = Math.ceil((windowStart.getTime() + l.windowSeconds * 1000 - now) / 1000);
  throw new ApiError("rate_limited", `too many attempts from ${l.who}; try again in ${retryAfter} s`, {
    limit: l.limit,
    window_seconds: l.windowSeconds,
    retry_after_seconds: retryAfter,
  });
}

export async function sweepRateLimits(db: Db, olderThanSeconds = 86_400): Promise<void> {
  await db.execute(sql`delete from rate_limits where window_start < now() - make_interval(secs => ${olderThanSeconds})`);
}
