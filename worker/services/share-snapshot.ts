import { sql } from "drizzle-orm";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import type { Store } from "../lib/presign";
import type { ShareScope } from "../lib/share-access";
import { runJson } from "../routes/runs/serialize";
import { allocPoints, encodeChunk, type Points } from "./metrics/codec";
import { seriesPoints } from "./metrics/points";
import { int, rows, type Q } from "./metrics/sql";
import type { JsonValue } from "./metrics/summary";
import { mapLimit } from "./artifacts/objects";
import { getRunInTeam } from "./run-lookup";
import { resolveBlocks, type FrozenArtifact } from "./share-artifacts";
import { exists, partKey, putBytes, sha256Hex, snapshotKey } from "./share-snapshot-store";

// A frozen link's data, taken once when the link is made: exactly what the
// report's blocks read through the share routes (each run as GET /runs/{run}
// shows it to the link, each run's metric list, every point of every (run,
// key) series in the link's scope), so later edits, new points, deletion or
// retention never change what the link shows. Reads answer from it
// (worker/services/share-snapshot-read.ts) with the same bucket code as live
// reads, so a frozen chart is as exact as a live one.

// Limits, checked before any point is read (docs/adr: share snapshots).
export const MAX_SNAPSHOT_SERIES = 1000; // (run, key) pairs the report's blocks name
export const MAX_SNAPSHOT_POINTS = 10_000_000; // stored points over all of them
// Points per stored part: a part decodes to ~2 MiB, so a bucket read over
// 10 runs of 100k points holds one part at a time, never a whole series.
export const PART_POINTS = 65_536;
// Encoded parts kept in memory while hashing; above it they are read again to
// write (10 runs × 100k points, ~8 MB encoded, take that path).
const HOLD_BYTES = 4 * 1024 * 1024;

export type MetricInfo = { key: string; count: number; min_step: number | null; max_step: number; last: JsonValue; min: JsonValue | null; max: JsonValue | null };
export type SnapshotPart = { i: number; sha: string; b: number; n: number; s0: number; s1: number; t0: number; t1: number };
// step / time: the series' whole x range as live reads compute it (chunk stats).
export type SnapshotSeries = { step: [number, number]; time: [number, number]; parts: SnapshotPart[] };
export type Manifest = {
  format: 1;
  report_id: string;
  version: number | null;
  points: number;
  runs: Record<string, ReturnType<typeof runJson>>;
  metrics: Record<string, MetricInfo[]>;
  series: Record<string, Record<string, SnapshotSeries>>;
  // The artifact versions the blocks named when shared (absent in early snapshots).
  artifacts?: FrozenArtifact[];
};

const SNAPSHOT_TX = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

// Builds the snapshot in one database snapshot and stores it unless the same
// content is stored already. Returns its key and size in bytes.
export async function takeSnapshot(db: Db, store: Store, teamId: string, scope: ShareScope): Promise<{ key: string; bytes: number }> {
  let pairs = 0;
  for (const keys of scope.keysByRun.values()) pairs += keys.size;
  if (pairs > MAX_SNAPSHOT_SERIES) {
    throw new ApiError(
      "payload_too_large",
      `frozen: the report names ${pairs} (run, metric) series; a frozen link stores at most ${MAX_SNAPSHOT_SERIES}. Share it live, or split the report`,
    );
  }
  return db.transaction(async (tx) => {
    const manifest: Manifest = { format: 1, report_id: scope.reportId, version: scope.frozenVersion, points: 0, runs: {}, metrics: {}, series: {} };
    const wanted: { run: string; key: string; id: number }[] = [];
    for (const runId of scope.runIds) {
      const run = await getRunInTeam(tx as unknown as Db, teamId, runId).catch((err) => {
        if (err instanceof ApiError && err.code === "not_found") return null;
        throw err;
      });
      if (!run) continue; // deleted since the report was saved: the link shows it as gone, as a live link would
      const keys = scope.keysByRun.get(runId) ?? new Set<string>();
      // A live run's duration runs until now; frozen, until its last heartbeat
      // as shared (so the same data makes the same snapshot, stored once).
      const json = runJson(run, run.finishedAt ? undefined : Math.max(run.heartbeatAt.getTime(), run.updatedAt.getTime()));
      json.summary = Object.fromEntries(Object.entries(json.summary).filter(([k]) => keys.has(k))) as typeof json.summary;
      manifest.runs[runId] = json;
      const series = await rows<{ key: string; id: string; min_step: string | null }>(
        tx,
        sql`select s.key, s.id, (select min(step_min) from metric_chunks c where c.team_id = s.team_id and c.series_id = s.id) as min_step
          from metric_series s where s.team_id = ${teamId} and s.run_id = ${runId} order by s.key`,
      );
      manifest.metrics[runId] = series.flatMap((s) => {
        const sum = run.summary[s.key];
        if (!keys.has(s.key) || !sum) return [];
        wanted.push({ run: runId, key: s.key, id: int(s.id) });
        const minStep = s.min_step === null ? null : int(s.min_step);
        return [{ key: s.key, count: sum.count, min_step: minStep, max_step: sum.step, last: sum.last as JsonValue, min: sum.min as JsonValue | null, max: sum.max as JsonValue | null }];
      });
    }
    manifest.artifacts = await resolveBlocks(tx as unknown as Db, teamId, scope.artifacts);
    const ranges = await seriesRanges(tx, teamId, wanted.map((w) => w.id));
    let estimate = 0;
    for (const r of ranges.values()) estimate += r.count;
    if (estimate > MAX_SNAPSHOT_POINTS) {
      throw new ApiError(
        "payload_too_large",
        `frozen: the report's series hold ${estimate} points; a frozen link stores at most ${MAX_SNAPSHOT_POINTS}. Share it live, or narrow its charts`,
      );
    }
    // Pass one: encode and hash every part (kept, while they fit in HOLD_BYTES).
    let held: Uint8Array[] | null = [];
    let heldBytes = 0;
    let next = 0;
    for (const w of wanted) {
      const range = ranges.get(w.id);
      if (!range) continue;
      const entry: SnapshotSeries = { step: range.step, time: range.time, parts: [] };
      for await (const part of seriesParts(tx, teamId, w.id)) {
        const bytes = encodeChunk(part);
        entry.parts.push({ i: next++, sha: await sha256Hex(bytes), b: bytes.length, n: part.n, s0: part.steps[0]!, s1: part.steps[part.n - 1]!, ...timeSpan(part) });
        manifest.points += part.n;
        if (held) {
          heldBytes += bytes.length;
          if (heldBytes > HOLD_BYTES) held = null;
          else held.push(bytes);
        }
      }
      (manifest.series[w.run] ??= {})[w.key] = entry;
    }
    const body = new TextEncoder().encode(JSON.stringify(manifest));
    const key = snapshotKey(teamId, await sha256Hex(body));
    let size = body.length;
    for (const s of Object.values(manifest.series)) for (const e of Object.values(s)) for (const p of e.parts) size += p.b;
    // Stored by an earlier link already (the same version over the same data).
    if (await exists(store, key)) return { key, bytes: size };
    // Pass two: write the parts (again from the same database snapshot if they
    // did not fit in memory), the manifest last, so a manifest means a whole snapshot.
    if (held) {
      const parts = held;
      await mapLimit([...parts.keys()], 4, (i) => putBytes(store, partKey(key, i), parts[i]!));
    } else {
      for (const w of wanted) {
        const entry = manifest.series[w.run]?.[w.key];
        if (!entry) continue;
        let k = 0;
        for await (const part of seriesParts(tx, teamId, w.id)) {
          const bytes = encodeChunk(part);
          const want = entry.parts[k++]!;
          await putBytes(store, partKey(key, want.i), bytes);
        }
      }
    }
    await putBytes(store, key, body);
    return { key, bytes: size };
  }, SNAPSHOT_TX);
}

function timeSpan(p: Points): { t0: number; t1: number } {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (let i = 0; i < p.n; i++) {
    const t = p.times[i]!;
    if (t < t0) t0 = t;
    if (t > t1) t1 = t;
  }
  return { t0, t1 };
}

type Range = { step: [number, number]; time: [number, number]; count: number };

async function seriesRanges(q: Q, teamId: string, ids: number[]): Promise<Map<number, Range>> {
  if (!ids.length) return new Map();
  const found = await rows<{ series_id: string; s0: string; s1: string; t0: string; t1: string; n: string }>(
    q,
    sql`select series_id, min(step_min) as s0, max(step_max) as s1, min(t_min) as t0, max(t_max) as t1, sum(count) as n
      from metric_chunks where team_id = ${teamId} and series_id = any(${`{${ids.join(",")}}`}::int8[]) group by series_id`,
  );
  return new Map(found.map((r) => [int(r.series_id), { step: [int(r.s0), int(r.s1)], time: [int(r.t0), int(r.t1)], count: int(r.n) }]));
}

// A series' points (last write wins per step, as every read) in parts of PART_POINTS.
async function* seriesParts(q: Q, teamId: string, seriesId: number): AsyncGenerator<Points> {
  let buf = allocPoints(PART_POINTS);
  let n = 0;
  for await (const block of seriesPoints(q, teamId, seriesId, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) {
    for (let i = 0; i < block.n; i++) {
      buf.steps[n] = block.steps[i]!;
      buf.values[n] = block.values[i]!;
      buf.times[n] = block.times[i]!;
      buf.seqs[n] = block.seqs[i]!;
      if (++n === PART_POINTS) {
        yield buf;
        buf = allocPoints(PART_POINTS);
        n = 0;
      }
    }
  }
  if (n > 0) yield { n, steps: buf.steps.subarray(0, n), values: buf.values.subarray(0, n), times: buf.times.subarray(0, n), seqs: buf.seqs.subarray(0, n) };
}
