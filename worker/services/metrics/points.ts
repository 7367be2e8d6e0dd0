import { sql } from "drizzle-orm";
import type { Db } from "../../lib/db";
import { asBytes, decodeChunk, type Points } from "./codec";
import { lowerBound, mergePoints, slicePoints } from "./merge";
import { inSnapshot, int, rows, type Q } from "./sql";

const PAGE_CHUNKS = 64;

// Thrown by a one-page read that needs a second page: see readPoints.
class NeedsSnapshot extends Error {}

// The series' points with steps in [lo, hi], in step order, one per step
// (last write wins), a block at a time. Chunks come in (step_min, id) order,
// so after each page the points below the page's last step_min are final:
// no later chunk can hold a smaller step. Pages are separate statements, so a
// caller reading past the first page must give a snapshot's tx (see sql.ts);
// `onePage` makes a plain handle safe by refusing to read a second page.
export async function* seriesPoints(q: Q, teamId: string, seriesId: number, lo: number, hi: number, onePage = false): AsyncGenerator<Points> {
  let after: [number, number] = [-1, 0];
  let pending: Points[] = [];
  for (let n = 0; ; n++) {
    if (n > 0 && onePage) throw new NeedsSnapshot();
    const page = await rows<{ id: string; step_min: string; payload: unknown }>(
      q,
      sql`select id, step_min, payload from metric_chunks
        where team_id = ${teamId} and series_id = ${seriesId} and step_max >= ${lo} and step_min <= ${hi}
          and (step_min, id) > (${after[0]}, ${after[1]})
        order by step_min, id limit ${PAGE_CHUNKS}`,
    );
    for (const r of page) pending.push(decodeChunk(asBytes(r.payload)));
    const done = page.length < PAGE_CHUNKS;
    const last = page[page.length - 1];
    if (last) after = [int(last.step_min), int(last.id)];
    if (pending.length === 0) return;
    const merged = mergePoints(pending);
    const cut = done ? merged.n : lowerBound(merged, after[0]);
    const from = lowerBound(merged, lo);
    const to = Math.min(cut, lowerBound(merged, hi + 1));
    if (to > from) yield slicePoints(merged, from, to);
    pending = cut < merged.n ? [slicePoints(merged, cut, merged.n)] : [];
    if (done) return;
  }
}

export type PointsPage = { steps: number[]; values: number[]; times: number[]; next: number | null };

// Most reads need one query of at most 64 chunks, which is a snapshot by
// itself. A read that needs more is done again inside a snapshot: the BEGIN
// and COMMIT that costs are spared to the common case.
export async function readPoints(db: Db, teamId: string, seriesId: number, lo: number, hi: number, limit: number): Promise<PointsPage> {
  try {
    return await collect(seriesPoints(db, teamId, seriesId, lo, hi, true), limit);
  } catch (err) {
    if (!(err instanceof NeedsSnapshot)) throw err;
  }
  return inSnapshot(db, (tx) => collect(seriesPoints(tx, teamId, seriesId, lo, hi), limit));
}

async function collect(points: AsyncGenerator<Points>, limit: number): Promise<PointsPage> {
  const page: PointsPage = { steps: [], values: [], times: [], next: null };
  for await (const p of points) {
    for (let i = 0; i < p.n; i++) {
      if (page.steps.length === limit) {
        page.next = p.steps[i]!;
        return page;
      }
      page.steps.push(p.steps[i]!);
      page.values.push(p.values[i]!);
      page.times.push(p.times[i]!);
    }
  }
  return page;
}
