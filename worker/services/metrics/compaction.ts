import { sql } from "drizzle-orm";
import type { Db } from "../../lib/db";
import { asBytes, decodeChunk } from "./codec";
import { CHUNK_POINTS, insertChunks, split } from "./ingest";
import { mergePoints } from "./merge";
import { int, numArray, rows, type Q } from "./sql";

type Meta = { id: number; stepMin: number; stepMax: number; count: number };

export type CompactionBudget = { series: number; points: number };
const DEFAULT_BUDGET: CompactionBudget = { series: 50, points: 400_000 };

// Cron task: merge small and overlapping chunks, a bounded amount per tick.
// Each series is compacted in its own transaction holding the series row
// FOR UPDATE (SKIP LOCKED: a series being ingested right now waits for the
// next tick); ingest upserts that same row, so the two never interleave and
// the delete-and-insert can neither lose nor double a point.
export async function compactMetrics(db: Db, budget = DEFAULT_BUDGET): Promise<{ series: number; chunks: number }> {
  let points = budget.points;
  let done = 0;
  let chunks = 0;
  const skip: number[] = [];
  while (done < budget.series && points > 0) {
    const res = await db.transaction(async (tx) => {
      const [s] = await rows<{ team_id: string; id: string }>(
        tx,
        sql`select team_id, id from metric_series where needs_compaction and id <> all(${numArray(skip)}::int8[])
          limit 1 for update skip locked`,
      );
      if (!s) return null;
      const out = await compactSeries(tx, s.team_id, int(s.id), points);
      if (out.finished) {
        await tx.execute(sql`update metric_series set needs_compaction = false where team_id = ${s.team_id} and id = ${s.id}`);
      }
      return { id: int(s.id), ...out };
    });
    if (!res) break;
    done++;
    chunks += res.rewritten;
    points -= res.points;
    if (!res.finished) skip.push(res.id);
  }
  return { series: done, chunks };
}

// Rewrites runs of neighbouring chunks (by step) into full, non-overlapping
// chunks. Chunks that overlap are one unit: all or none of them is merged.
async function compactSeries(tx: Q, teamId: string, seriesId: number, budget: number) {
  const meta = (
    await rows<{ id: string; step_min: string; step_max: string; count: number }>(
      tx,
      sql`select id, step_min, step_max, count from metric_chunks where team_id = ${teamId} and series_id = ${seriesId} order by step_min, id`,
    )
  ).map((r): Meta => ({ id: int(r.id), stepMin: int(r.step_min), stepMax: int(r.step_max), count: r.count }));
  const windows = planWindows(meta);
  let points = 0;
  let rewritten = 0;
  for (const win of windows) {
    if (points >= budget) return { finished: false, points, rewritten };
    const ids = numArray(win.map((m) => m.id));
    const payloads = await rows<{ payload: unknown }>(
      tx,
      sql`delete from metric_chunks where team_id = ${teamId} and series_id = ${seriesId} and id = any(${ids}::int8[]) returning payload`,
    );
    const merged = mergePoints(payloads.map((r) => decodeChunk(asBytes(r.payload))));
    await insertChunks(tx, teamId, [{ owner: seriesId, points: merged, pieces: split(merged) }]);
    points += merged.n;
    rewritten += win.length;
  }
  return { finished: true, points, rewritten };
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
