import { sql, type SQL } from "drizzle-orm";
import type { MetricSummary } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError, notFound } from "../../lib/errors";
import { inactiveRun } from "../run-lookup";
import {
  addSeenPoints, addUsageCtes, enforceQuota, limitsOf, monthSum, notePoints, overridesSql, planSql, pointsFarFromLimit, pointsMargin, pointsRefusal,
  type PlanRow,
} from "../usage";
import { bucketize } from "./buckets";
import { chunkStats, encodeChunk, toHex, type Points } from "./codec";
import { MAX_KEYS_PER_RUN, type Batch } from "./parse";
import { appendSummary, summaryJson } from "./summary";
import { boolArray, byteaArray, int, nullableNumArray, numArray, rows, textArray, type Q } from "./sql";

// Points per chunk: small enough that a 1,000-bucket read decodes little
// (only chunks straddling a bucket edge are decoded), large enough that the
// per-row overhead stays near 2 bytes a point. Compaction merges toward it.
export const CHUNK_POINTS = 128;
const SMALL_CHUNK = CHUNK_POINTS / 2;

export type IngestResult = { accepted: number; duplicate: boolean };
// quotas: false skips counting and the points quota (QUOTAS=off, for the bench's comparison).
export type IngestOptions = { quotas?: boolean };

// MLflow batches carry no client seq: they take the next number of their own
// range, above any seq a native client uses, so the two doors never collide.
// A higher seq wins a repeated step, so retrying an MLflow batch rewrites the
// same (key, step) points instead of doubling them.
export const NEXT_SEQ_BASE = 2 ** 52;

// One transaction of few round trips: lock the run, record (run, seq) and read
// the plan and the month's usage in one statement; then upsert the series,
// insert every chunk, count the points and update the summary and heartbeat
// in another (multi-row, via unnest of array literals). Near the points quota
// a locked re-check adds two more (docs/adr/0011).
export async function ingestBatch(db: Db, teamId: string, runId: string, batch: Batch, opts: IngestOptions = {}): Promise<IngestResult> {
  return db.transaction((tx) => ingestInTx(tx, teamId, runId, batch, opts));
}

// The same, inside a caller's transaction (MLflow's log-batch writes params
// and tags in it too, so the whole request lands or none of it does).
export async function ingestInTx(tx: Q, teamId: string, runId: string, batch: Batch, opts: IngestOptions = {}): Promise<IngestResult> {
  const quotas = opts.quotas !== false;
  // Far below the quota by this isolate's recent read: count only, no check.
  const check = quotas && !pointsFarFromLimit(teamId, batch.total);
  const next = batch.seq === "next";
  const seqExpr = next ? nextSeq(teamId, runId) : sql`${batch.seq}`;
  const usage = check ? sql`, ${planSql(teamId)} as plan, ${overridesSql(teamId)} as overrides, ${monthSum(teamId, "points")} as used` : sql``;
  const [run] = await rows<{ summary: Record<string, MetricSummary>; deleted: boolean; fresh: number; seq: string | null } & PlanRow & { used?: string }>(
    tx,
    sql`with r as (select summary, deleted_at is not null as deleted from runs where team_id = ${teamId} and id = ${runId} for update),
      b as (insert into metric_batches (team_id, run_id, seq) select ${teamId}, ${runId}, ${seqExpr} from r on conflict do nothing returning seq)
      select r.summary, r.deleted, (select count(*)::int from b) as fresh, (select seq::text from b) as seq${usage} from r`,
  );
  if (!run) throw notFound("run");
  if (run.deleted) throw inactiveRun(runId);
  let seq = run.seq === null ? null : Number(run.seq);
  if (next && seq === null) {
    // The statement's snapshot predates the lock wait, so a concurrent MLflow
    // batch may have taken that number; with the lock held, ask again.
    const [again] = await rows<{ seq: string }>(
      tx,
      sql`insert into metric_batches (team_id, run_id, seq) values (${teamId}, ${runId}, ${nextSeq(teamId, runId)}) returning seq::text as seq`,
    );
    seq = Number(again!.seq);
  } else if (run.fresh === 0) return { accepted: 0, duplicate: true };
  if (next) for (const s of batch.series) s.points.seqs.fill(seq!);
  const summary = run.summary ?? {};
  const series = batch.series.filter((s) => s.points.n > 0);
  if (series.length === 0) return { accepted: 0, duplicate: false };
  const newKeys = series.filter((s) => !summary[s.key]).length;
  const keyCount = Object.keys(summary).length;
  if (keyCount + newKeys > MAX_KEYS_PER_RUN) {
    throw new ApiError(
      "invalid_argument",
      `metrics: a run holds at most ${MAX_KEYS_PER_RUN} metric keys (this run has ${keyCount}, the batch adds ${newKeys})`,
    );
  }
  // Checked before anything of the batch is written, so a refusal stores nothing.
  const points = series.reduce((n, s) => n + s.points.n, 0);
  if (check) {
    const { plan, limits } = limitsOf(run);
    notePoints(teamId, limits, int(run.used));
    await enforceQuota(tx, teamId, {
      name: "metricPointsPerMonth",
      plan,
      limit: limits.metricPointsPerMonth,
      used: int(run.used),
      need: points,
      reread: async () => int((await rows<{ used: string }>(tx, sql`select ${monthSum(teamId, "points")} as used`))[0]!.used),
      describe: pointsRefusal(points),
      margin: pointsMargin(limits),
    });
  }
  // A batch whose steps fall inside an existing chunk's range may replace
  // points, so its summary is recomputed from the chunks rather than combined.
  const overlaps = await overlapping(tx, teamId, runId, series, summary);
  const pieces = series.map((s) => split(s.points));
  const needsCompaction = series.map((_, i) => overlaps[i]! || pieces[i]!.some(([a, b]) => b - a < SMALL_CHUNK));
  const patch: Record<string, MetricSummary> = {};
  series.forEach((s, i) => {
    if (overlaps[i]) return;
    const st = chunkStats(s.points);
    patch[s.key] = appendSummary(summary[s.key], { count: s.points.n, min: st.vMin, max: st.vMax, last: st.vLast, step: st.stepMax });
  });
  const cols = chunkColumns(series.map((s, i) => ({ owner: s.key, points: s.points, pieces: pieces[i]! })));
  // Data-modifying CTEs all run to completion; the chunks' foreign key is
  // checked at the end of the statement, when the new series rows exist.
  const ids = await rows<{ key: string; id: string }>(
    tx,
    sql`with s as (
        insert into metric_series (team_id, run_id, key, needs_compaction)
        select ${teamId}, ${runId}, k, c from unnest(${textArray(series.map((s) => s.key))}::text[], ${boolArray(needsCompaction)}::bool[]) as u(k, c)
        on conflict (team_id, run_id, key) do update set needs_compaction = metric_series.needs_compaction or excluded.needs_compaction
        returning key, id),
      c as (
        insert into metric_chunks (team_id, series_id, step_min, step_max, count, seq, v_min, v_max, v_last, t_min, t_max, t_monotone, payload)
        select ${teamId}, s.id, u.smin, u.smax, u.cnt, u.seq, u.vmin, u.vmax, u.vlast, u.tmin, u.tmax, u.mono, u.payload
        from ${unnestChunks(cols, sql`${textArray(cols.owner as string[])}::text[]`)} join s on s.key = u.owner),
      r as (
        update runs set summary = summary || ${JSON.stringify(patch)}::jsonb, heartbeat_at = now(),
          status = case when status = 'crashed' then 'running' else status end
        where team_id = ${teamId} and id = ${runId})${quotas ? sql`, ${addUsageCtes(teamId, "points", points)}` : sql``}
      select key, id from s`,
  );
  if (quotas) addSeenPoints(teamId, points);
  const recompute = series.filter((_, i) => overlaps[i]).map((s) => s.key);
  if (recompute.length > 0) {
    const idOf = new Map(ids.map((r) => [r.key, int(r.id)]));
    const whole = await bucketize(tx, teamId, recompute.map((k) => idOf.get(k)!), "step", 0, 2 ** 53 - 1, 1);
    const exact: Record<string, MetricSummary> = {};
    for (const key of recompute) {
      const acc = whole.get(idOf.get(key)!)!;
      exact[key] = summaryJson({ count: acc.count[0]!, min: acc.minOf(0), max: acc.maxOf(0), last: acc.last[0]!, step: acc.lastStep[0]! });
    }
    await tx.execute(sql`update runs set summary = summary || ${JSON.stringify(exact)}::jsonb where team_id = ${teamId} and id = ${runId}`);
  }
  return { accepted: batch.total, duplicate: false };
}

const nextSeq = (teamId: string, runId: string) =>
  sql`(select coalesce(max(seq) + 1, ${NEXT_SEQ_BASE}) from metric_batches where team_id = ${teamId} and run_id = ${runId} and seq >= ${NEXT_SEQ_BASE})`;

async function overlapping(tx: Q, teamId: string, runId: string, series: Batch["series"], summary: Record<string, MetricSummary>): Promise<boolean[]> {
  const below = series.filter((s) => summary[s.key] !== undefined && s.points.steps[0]! <= summary[s.key]!.step);
  if (below.length === 0) return series.map(() => false);
  const hit = await rows<{ key: string }>(
    tx,
    sql`select u.k as key from unnest(${textArray(below.map((s) => s.key))}::text[], ${numArray(below.map((s) => s.points.steps[0]!))}::int8[],
        ${numArray(below.map((s) => s.points.steps[s.points.n - 1]!))}::int8[]) as u(k, lo, hi)
      join metric_series m on m.team_id = ${teamId} and m.run_id = ${runId} and m.key = u.k
      where exists (select 1 from metric_chunks c where c.team_id = ${teamId} and c.series_id = m.id and c.step_min <= u.hi and c.step_max >= u.lo)`,
  );
  const keys = new Set(hit.map((r) => r.key));
  return series.map((s) => keys.has(s.key));
}

// Even pieces of at most CHUNK_POINTS, so a 1,000-point batch is 8 chunks of 125.
export function split(p: Points): [number, number][] {
  const k = Math.ceil(p.n / CHUNK_POINTS);
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([Math.floor((i * p.n) / k), Math.floor(((i + 1) * p.n) / k)]);
  return out;
}

type Piece<O> = { owner: O; points: Points; pieces: [number, number][] };

// The chunk rows as columns (stats computed, payload packed), for one unnest.
function chunkColumns<O>(list: Piece<O>[]) {
  const c = {
    owner: [] as O[],
    smin: [] as number[],
    smax: [] as number[],
    cnt: [] as number[],
    seq: [] as number[],
    vmin: [] as (number | null)[],
    vmax: [] as (number | null)[],
    vlast: [] as number[],
    tmin: [] as number[],
    tmax: [] as number[],
    mono: [] as boolean[],
    payload: [] as string[],
  };
  for (const { owner, points, pieces } of list) {
    for (const [a, b] of pieces) {
      const st = chunkStats(points, a, b);
      c.owner.push(owner);
      c.smin.push(st.stepMin);
      c.smax.push(st.stepMax);
      c.cnt.push(st.count);
      c.seq.push(st.seq);
      c.vmin.push(st.vMin);
      c.vmax.push(st.vMax);
      c.vlast.push(st.vLast);
      c.tmin.push(st.tMin);
      c.tmax.push(st.tMax);
      c.mono.push(st.tMonotone);
      c.payload.push(toHex(encodeChunk(points, a, b)));
    }
  }
  return c;
}

function unnestChunks(c: ReturnType<typeof chunkColumns<unknown>>, owner: SQL) {
  return sql`unnest(${owner}, ${numArray(c.smin)}::int8[], ${numArray(c.smax)}::int8[],
    ${numArray(c.cnt)}::int4[], ${numArray(c.seq)}::int8[], ${nullableNumArray(c.vmin)}::float8[], ${nullableNumArray(c.vmax)}::float8[],
    ${numArray(c.vlast)}::float8[], ${numArray(c.tmin)}::int8[], ${numArray(c.tmax)}::int8[], ${boolArray(c.mono)}::bool[], ${byteaArray(c.payload)}::bytea[])
    as u(owner, smin, smax, cnt, seq, vmin, vmax, vlast, tmin, tmax, mono, payload)`;
}

// Chunks of many series, possibly of several teams (compaction), in one statement.
export async function insertChunks(q: Q, list: (Piece<number> & { teamId: string })[]) {
  const c = chunkColumns(list);
  if (c.owner.length === 0) return;
  const teams = new Map(list.map((p) => [p.owner, p.teamId]));
  await q.execute(
    sql`insert into metric_chunks (team_id, series_id, step_min, step_max, count, seq, v_min, v_max, v_last, t_min, t_max, t_monotone, payload)
      select t.team_id, u.* from ${unnestChunks(c, sql`${numArray(c.owner)}::int8[]`)}
      join unnest(${textArray([...teams.values()])}::text[], ${numArray([...teams.keys()])}::int8[]) as t(team_id, sid) on t.sid = u.owner`,
  );
}
