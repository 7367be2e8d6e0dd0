import { sql, type SQL } from "drizzle-orm";
import { TtlCache } from "../lib/key-cache";
import { effectiveLimits, limitNames, type Limits } from "../lib/plans";
import { int, rows, type Q } from "./metrics/sql";
import { QuotaError } from "./team-limits";

// Usage counting and quota checks (docs/adr/0011). Counts live in
// usage_daily, rows per (team, UTC day, shard): a writer adds to a shard no
// other writer holds, in the same transaction as what it counts, so a
// rolled-back or duplicate write counts nothing and concurrent writers never
// queue on one row. The month's figure is a sum of rows read by key.

export const today = sql`(now() at time zone 'utc')::date`;
export const monthStart = sql`date_trunc('month', now() at time zone 'utc')::date`;

// Scalar subqueries to fold into a writer's existing statement: the team's
// plan row is read fresh (a primary-key lookup in a statement that runs
// anyway), so a plan change binds quotas at once, not after a cache's life.
export const planSql = (teamId: string) => sql`(select plan from teams where id = ${teamId})`;
export const overridesSql = (teamId: string) => sql`(select plan_overrides from teams where id = ${teamId})`;
export const monthSum = (teamId: string, col: "points" | "runs") =>
  sql`(select coalesce(sum(${sql.raw(col)}), 0)::int8 from usage_daily where team_id = ${teamId} and day >= ${monthStart})`;

// CTEs adding n to one shard of today's row, for a writer's statement. A
// writer holds its shard row's lock until commit, so it takes a row no other
// transaction holds (skip locked); when all are busy it adds a new shard, so
// a day has as many rows as the team had writers at once (at most
// MAX_SHARDS; past that, a random one is shared and waited for).
export const MAX_SHARDS = 64;
export const addUsageCtes = (teamId: string, col: "points" | "runs", n: number): SQL => {
  const c = sql.raw(col);
  return sql`us as (select shard from usage_daily where team_id = ${teamId} and day = ${today} limit 1 for update skip locked),
    uu as (update usage_daily set ${c} = usage_daily.${c} + ${n} from us
      where usage_daily.team_id = ${teamId} and usage_daily.day = ${today} and usage_daily.shard = us.shard returning 1),
    ui as (insert into usage_daily (team_id, day, shard, ${c})
      select ${teamId}, ${today}, case when m.next < ${MAX_SHARDS} then m.next else ${Math.floor(Math.random() * MAX_SHARDS)} end, ${n}
      from (select coalesce(max(shard) + 1, 0) as next from usage_daily where team_id = ${teamId} and day = ${today}) m
      where not exists (select 1 from uu)
      on conflict (team_id, day, shard) do update set ${c} = usage_daily.${c} + excluded.${c})`;
};

export type PlanRow = { plan: string | null; overrides: Record<string, number> | null };
export const limitsOf = (r: PlanRow): { plan: string; limits: Limits } => {
  const limits = effectiveLimits(r.plan ?? "free", r.overrides ?? {});
  return { plan: r.plan ?? "free", limits };
};

// Far from a limit, writers check against the usage their statement saw and
// run in parallel; together they can then pass the limit by what is in flight
// at once. Within `margin` of the limit (a tenth of it, or more where the
// caller knows how much can be in flight), writers take a per-team advisory
// lock and re-read the usage in a new statement (a snapshot taken after the
// lock), so there the check is exact.
export const NEAR_LIMIT = 0.9;

type Metered = Extract<keyof Limits, "metricPointsPerMonth" | "runsPerMonth" | "storageBytes">;

export type QuotaCheck = {
  name: Metered;
  plan: string;
  limit: number;
  used: number;
  need: number;
  // The usage without this request, read in a fresh statement.
  reread: () => Promise<number>;
  margin?: number;
  describe: (used: number, limit: number) => string;
};

export async function enforceQuota(q: Q, teamId: string, c: QuotaCheck): Promise<void> {
  if (c.used + c.need <= c.limit - Math.max(c.limit * (1 - NEAR_LIMIT), c.margin ?? 0)) return;
  await q.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${c.name}:${teamId}`}, 0))`);
  const used = await c.reread();
  if (used + c.need > c.limit) throw new QuotaError("quota", c.name, { limit: c.limit, used, plan: c.plan }, c.describe(used, c.limit));
}

const fmt = (n: number) => n.toLocaleString("en-US");

// Per isolate, a team's limits and month's points as last read by ingest, for
// a few seconds: a batch that would leave the team far below its quota even
// with everything ingested since (the margin) skips the read and the check.
// Only the count is then paid on the hot path. Near the limit, or without a
// recent read, the batch reads fresh in its first statement.
type PointsSeen = { limits: Limits; used: number };
const pointsSeen = new TtlCache<PointsSeen>(10_000);
export const POINTS_SEEN_SECONDS = 5;

// Two seconds of the team's rate in flight, plus what the cached figure may lag.
export const pointsMargin = (l: Limits) => (2 + POINTS_SEEN_SECONDS) * l.ingestPointsPerSecond;

export function pointsFarFromLimit(teamId: string, need: number): boolean {
  const s = pointsSeen.get(teamId);
  if (!s) return false;
  const limit = s.limits.metricPointsPerMonth;
  return s.used + need <= limit - Math.max(limit * (1 - NEAR_LIMIT), pointsMargin(s.limits));
}

export const notePoints = (teamId: string, limits: Limits, used: number) => pointsSeen.set(teamId, { limits, used }, POINTS_SEEN_SECONDS);

// This isolate's own batches move the figure on at once (an estimate that errs high).
export function addSeenPoints(teamId: string, n: number) {
  const s = pointsSeen.get(teamId);
  if (s) s.used += n;
}

export const pointsRefusal = (need: number) => (used: number, limit: number) =>
  `metric points: this team has logged ${fmt(used)} of its ${fmt(limit)} points this month (UTC); this batch of ${fmt(need)} would exceed it, so none of it was stored`;

// Runs per month, checked and counted in the caller's transaction before the run is inserted.
export async function reserveRun(tx: Q, teamId: string): Promise<void> {
  const read = async () => {
    const [r] = await rows<PlanRow & { used: string }>(
      tx,
      sql`select ${planSql(teamId)} as plan, ${overridesSql(teamId)} as overrides, ${monthSum(teamId, "runs")} as used`,
    );
    return r!;
  };
  const first = await read();
  const { plan, limits } = limitsOf(first);
  await enforceQuota(tx, teamId, {
    name: "runsPerMonth",
    plan,
    limit: limits.runsPerMonth,
    used: int(first.used),
    need: 1,
    reread: async () => int((await read()).used),
    describe: (used, limit) => `runs: this team has created ${fmt(used)} of its ${fmt(limit)} runs this month (UTC)`,
  });
  await tx.execute(sql`with ${addUsageCtes(teamId, "runs", 1)} select 1`);
}

export type UsageReport = {
  plan: string;
  limits: Limits;
  usage: { seats: number; storage_bytes: number; points_this_month: number; runs_this_month: number };
  points_by_day: { day: string; points: number; runs: number }[];
  warnings: { limit: keyof Limits; used: number; ratio: number; level: "80%" | "100%" }[];
};

// One statement: the plan row, seats, storage (pending uploads included, as
// the reserve counts them) and the per-day rows of this month and the last.
export async function usageReport(q: Q, teamId: string): Promise<UsageReport> {
  const [r] = await rows<PlanRow & { seats: number; storage: string; month: string; days: { day: string; points: string; runs: string }[] | null }>(
    q,
    sql`select ${planSql(teamId)} as plan, ${overridesSql(teamId)} as overrides, ${monthStart}::text as month,
      (select count(*)::int from memberships where team_id = ${teamId}) as seats,
      (select coalesce(sum(size), 0)::int8 from objects where team_id = ${teamId}) as storage,
      (select json_agg(d order by d.day) from (
        select day::text as day, sum(points)::int8 as points, sum(runs)::int8 as runs from usage_daily
        where team_id = ${teamId} and day >= (${monthStart} - interval '1 month')::date group by day) d) as days`,
  );
  const { plan, limits } = limitsOf(r!);
  const days = (r!.days ?? []).map((d) => ({ day: d.day, points: int(d.points), runs: int(d.runs) }));
  const month = days.filter((d) => d.day >= r!.month);
  const usage = {
    seats: r!.seats,
    storage_bytes: int(r!.storage),
    points_this_month: month.reduce((a, d) => a + d.points, 0),
    runs_this_month: month.reduce((a, d) => a + d.runs, 0),
  };
  const metered: [keyof Limits, number][] = [
    ["seats", usage.seats],
    ["storageBytes", usage.storage_bytes],
    ["metricPointsPerMonth", usage.points_this_month],
    ["runsPerMonth", usage.runs_this_month],
  ];
  const warnings: UsageReport["warnings"] = [];
  for (const [limit, used] of metered) {
    const max = limits[limit];
    const ratio = max > 0 ? used / max : used > 0 ? Number.MAX_VALUE : 0;
    if (ratio >= 0.8) warnings.push({ limit, used, ratio: Math.round(ratio * 1e4) / 1e4, level: ratio >= 1 ? "100%" : "80%" });
  }
  return { plan, limits: Object.fromEntries(limitNames.map((k) => [k, limits[k]])) as Limits, usage, points_by_day: days, warnings };
}
