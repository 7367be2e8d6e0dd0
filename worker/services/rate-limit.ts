import { sql } from "drizzle-orm";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";

// A fixed-window counter in Postgres: Workers share no memory across
// isolates, and the endpoints it guards (sign-up, log-in) touch the database anyway.
export async function hitRateLimit(
  db: Db,
  key: string,
  limit: number,
  windowSeconds: number,
  now = Date.now(),
): Promise<void> {
  const windowStart = new Date(Math.floor(now / 1000 / windowSeconds) * windowSeconds * 1000);
  const rows = await db.execute<{ count: number }>(sql`
    insert into rate_limits (key, window_start, count) values (${key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set count = rate_limits.count + 1
    returning count`);
  const count = Number(rows.rows[0]?.count ?? 0);
  if (count > limit) {
    const retryAfter = Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now) / 1000);
    throw new ApiError("rate_limited", `too many attempts from this address; try again in ${retryAfter} s`, {
      limit,
      window_seconds: windowSeconds,
      retry_after_seconds: retryAfter,
    });
  }
}

export async function sweepRateLimits(db: Db, olderThanSeconds = 86_400): Promise<void> {
  await db.execute(sql`delete from rate_limits where window_start < now() - make_interval(secs => ${olderThanSeconds})`);
}
