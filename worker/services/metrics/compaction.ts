import { sql } from "drizzle-orm";
import type { Db } from "../../lib/db";
import { asBytes, decodeChunk, type Points } from "./codec";
import { CHUNK_POINTS, insertChunks, split } from "./ingest";
import { mergePoints } from "./merge";
import { int, numArray, rows, textArray } from "./sql";

type Meta = { id: number; stepMin: number; stepMax: number; count: number };

// series and points: the most one tick rewrites; perTx: series per transaction
// (each holds its series' rows locked, so it stays short); ms: wall time.
export type CompactionBudget = { series: number; points: number; perTx: number; ms: number };
const DEFAULT_BUDGET: CompactionBudget = { series: 20_000, points: 1_000_000, perTx: 500, ms: 20_000 };
const TX_POINTS = 100_000;

export type CompactionResult = { series: number; chunks: number; points: number; transactions: number };

// Cron task: merge small and overlapping chunks, a bounded amount per tick.
// Many series per transaction, a fixed handful of statements each (lock the
// series, read their chunk stats, delete the windows' chunks, insert the
// merged ones, clear the flags), so a backlog of thousands of tiny series
// clears in a tick instead of one series per round trip. The series rows are
// held FOR UPDATE (SKIP LOCKED: a series being ingested right now waits for
// the next tick); ingest upserts those same rows, so the two never interleave
// on a series and the delete-and-insert can neither lose nor double a point.
export async function compactMetrics(db: Db, budget: Partial<CompactionBudget> = {}): Promise<CompactionResult> {
  const b = { ...DEFAULT_BUDGET, ...budget };
  const t0 = Date.now();
  const total: CompactionResult = { series: 0, chunks: 0, points: 0, transactions: 0 };
  // Series left unfinished by the points budget: not picked again this tick.
  const skip: number[] = [];
  while (total.series < b.series && total.points < b.points && Date.now() - t0 < b.ms) {
    const want = Math.min(b.perTx, b.series - total.series);
    const budgetPoints = Math.min(TX_POINTS, b.points - total.points);
    const res = await db.transaction((tx) => compactSome(tx, want, budgetPoints, skip));
    if (res.series === 0) break;
    total.series += res.series;
    total.chunks += res.chunks;
    total.points += res.points;
    total.transactions++;
    skip.push(...res.unfinished);
  }
  return total;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Window = { teamId: string; seriesId: number; chunks: Meta[] };

async function compactSome(tx: Tx, want: number, budgetPoints: number, skip: number[]) {
  const picked = await rows<{ team_id: string; id: string }>(
    tx,
    sql`select team_id, id from metric_series where needs_compaction and id <> all(${numArray(skip)}::int8[])
      limit ${want} for update skip locked`,
  );
  if (picked.length === 0) return { series: 0, chunks: 0, points: 0, unfinished: [] as number[] };
  const teams = picked.map((r) => r.team_id);
  const ids = picked.map((r) => int(r.id));
  // Constant arrays, not a join against unnest(): the planner then estimates
  // from the values themselves, and stale statistics (one huge series analysed,
  // thousands of tiny ones since) cannot turn each lookup into a table scan.
  // Chunk and series ids are unique across teams; team_id is there for the index.
  const teamList = textArray([...new Set(teams)]);
  const meta = await rows<{ series_id: string; id: string; step_min: string; step_max: string; count: number }>(
    tx,
    sql`select series_id, id, step_min, step_max, count from metric_chunks
      where team_id = any(${teamList}::text[]) and series_id = any(${numArray(ids)}::int8[])
      order by series_id, step_min, id`,
  );
  const bySeries = new Map<number, Meta[]>();
  for (const r of meta) {
    const sid = int(r.series_id);
    const list = bySeries.get(sid) ?? [];
    list.push({ id: int(r.id), stepMin: int(r.step_min), stepMax: int(r.step_max), count: r.count });
    bySeries.set(sid, list);
  }
  // Whole series' windows until the points budget is spent; a series cut
  // short keeps its flag and the windows it got this time.
  const windows: Window[] = [];
  const finished: { team: string; id: number }[] = [];
  const unfinished: number[] = [];
  let points = 0;
  picked.forEach((s, i) => {
    const sid = ids[i]!;
    let done = true;
    for (const win of planWindows(bySeries.get(sid) ?? [])) {
      if (points >= budgetPoints) {
        done = false;
        break;
      }
      windows.push({ teamId: s.team_id, seriesId: sid, chunks: win });
      points += win.reduce((a, m) => a + m.count, 0);
    }
    if (done) finished.push({ team: s.team_id, id: sid });
    else unfinished.push(sid);
  });
  let chunks = 0;
  if (windows.length > 0) {
    const all = windows.flatMap((w) => w.chunks.map((m) => ({ w, m })));
    const payloads = await rows<{ id: string; payload: unknown }>(
      tx,
      sql`delete from metric_chunks where team_id = any(${teamList}::text[])
          and series_id = any(${numArray([...new Set(windows.map((w) => w.seriesId))])}::int8[]) and id = any(${numArray(all.map((x) => x.m.id))}::int8[])
        returning id, payload`,
    );
    const decoded = new Map<number, Points>(payloads.map((r) => [int(r.id), decodeChunk(asBytes(r.payload))]));
    const merged = windows.map((w) => {
      const parts = w.chunks.map((m) => decoded.get(m.id));
      // Every chunk was read under the series lock, so each must have been deleted now.
      if (parts.some((p) => p === undefined)) throw new Error(`compaction: a chunk of series ${w.seriesId} vanished under its lock`);
      const pts = mergePoints(parts as Points[]);
      return { teamId: w.teamId, owner: w.seriesId, points: pts, pieces: split(pts) };
    });
    await insertChunks(tx, merged);
    chunks = all.length;
  }
  if (finished.length > 0) {
    await tx.execute(
      sql`update metric_series set needs_compaction = false
        where team_id = any(${teamList}::text[]) and id = any(${numArray(finished.map((f) => f.id))}::int8[])`,
    );
  }
  return { series: picked.length, chunks, points, unfinished };
}

// Clusters of overlapping chunks, grouped greedily into windows of about one
// chunk's worth of points; a window of two or more chunks is worth rewriting.
export function planWindows(meta: Meta[]): Meta[][] {
  const clusters: Meta[][] = [];
  let reach = -1;
  for (const m of meta) {
    if (clusters.length > 0 && m.stepMin <= reach) clusters[clusters.length - 1]!.push(m);
    else clusters.push([m]);
    reach = Math.max(reach, m.stepMax);
  }
  const out: Meta[][] = [];
  let win: Meta[] = [];
  let winPoints = 0;
  const flush = () => {
    if (win.length >= 2) out.push(win);
    win = [];
    winPoints = 0;
  };
  for (const cl of clusters) {
    const pts = cl.reduce((a, m) => a + m.count, 0);
    // A lone small chunk takes its neighbour along even past one chunk's worth:
    // the rewrite splits them evenly, so neither piece stays small.
    const loneSmall = win.length === 1 && winPoints < CHUNK_POINTS / 2;
    if (win.length > 0 && winPoints + pts > CHUNK_POINTS && !loneSmall) flush();
    win.push(...cl);
    winPoints += pts;
  }
  flush();
  return out;
}
