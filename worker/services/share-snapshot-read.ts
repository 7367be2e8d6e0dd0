import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError, notFound } from "../lib/errors";
import { requireStore, type Store } from "../lib/presign";
import { shareScope } from "../lib/share-access";
import { BucketAcc, bucketBounds, type Axis } from "./metrics/buckets";
import { decodeChunk, type Points } from "./metrics/codec";
import { toJsonValue } from "./metrics/summary";
import type { Manifest, SnapshotPart, SnapshotSeries } from "./share-snapshot";
import { getBytes, partKey } from "./share-snapshot-store";

// A frozen link's reads, answered from its snapshot (worker/services/share-snapshot.ts)
// in the live routes' shapes, with the live bucket code.

export type Frozen = { store: Store; key: string; manifest: Manifest };

// Parsed manifests of this isolate (they never change: content-addressed).
const manifests = new Map<string, Manifest>();
const MAX_MANIFESTS = 64;

// The caller's frozen snapshot, or null: team credentials, live links, and
// frozen links made before snapshots existed read live data.
export async function frozenSnapshot(c: Context<AppEnv>): Promise<Frozen | null> {
  const key = shareScope(c)?.snapshotKey;
  if (!key) return null;
  const store = requireStore(c.get("storage"));
  let manifest = manifests.get(key);
  if (!manifest) {
    const bytes = await getBytes(store, key);
    // Deleted with its team or after its last link ended: as gone as the link.
    if (!bytes) throw notFound("share snapshot");
    manifest = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
    if (manifests.size >= MAX_MANIFESTS) manifests.delete(manifests.keys().next().value!);
    manifests.set(key, manifest);
  }
  return { store, key, manifest };
}

export function frozenRun(f: Frozen, runId: string) {
  const run = f.manifest.runs[runId];
  if (!run) throw notFound("run");
  return run;
}

export function frozenMetricList(f: Frozen, runId: string) {
  frozenRun(f, runId);
  return f.manifest.metrics[runId] ?? [];
}

const FETCH_AHEAD = 4;

async function partBytes(f: Frozen, p: SnapshotPart): Promise<Uint8Array> {
  const bytes = await getBytes(f.store, partKey(f.key, p.i));
  if (!bytes) throw notFound("share snapshot");
  return bytes;
}

const partPoints = async (f: Frozen, p: SnapshotPart): Promise<Points> => decodeChunk(await partBytes(f, p));

// GET /runs/{run}/metrics/points: points with steps in [lo, hi], `limit` a page,
// next_cursor the step of the first point left out (as readPoints pages).
export async function frozenPoints(f: Frozen, runId: string, key: string, q: { cursor?: number; start?: number; end?: number; limit: number }) {
  frozenRun(f, runId);
  const series = f.manifest.series[runId]?.[key];
  const lo = Math.max(q.cursor ?? 0, q.start ?? 0);
  const hi = q.end ?? Number.MAX_SAFE_INTEGER;
  const points: { step: number; value: ReturnType<typeof toJsonValue>; timestamp: number }[] = [];
  if (!series || lo > hi) return { points, next_cursor: null as number | null };
  for (const part of series.parts) {
    if (part.s1 < lo || part.s0 > hi) continue;
    const p = await partPoints(f, part);
    for (let i = 0; i < p.n; i++) {
      const step = p.steps[i]!;
      if (step < lo || step > hi) continue;
      if (points.length === q.limit) return { points, next_cursor: step };
      points.push({ step, value: toJsonValue(p.values[i]!), timestamp: p.times[i]! });
    }
  }
  return { points, next_cursor: null };
}

// GET /metrics/buckets: the live route's answer over the snapshot's points.
export async function frozenBuckets(f: Frozen, runs: string[], key: string, x: Axis, n: number, qStart?: number, qEnd?: number) {
  const found = new Map<string, SnapshotSeries>();
  for (const run of runs) {
    frozenRun(f, run);
    const s = f.manifest.series[run]?.[key];
    if (s) found.set(run, s);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of found.values()) {
    lo = Math.min(lo, s[x][0]);
    hi = Math.max(hi, s[x][1]);
  }
  const range = lo <= hi ? [lo, hi] : undefined;
  const start = qStart ?? range?.[0];
  const end = qEnd ?? range?.[1];
  if (start !== undefined && end !== undefined && start > end) throw new ApiError("invalid_argument", "start: must not be above end");
  const series = [];
  for (const run of runs) {
    const s = found.get(run);
    let points: ReturnType<BucketAcc["toJson"]> = [];
    if (s && start !== undefined && end !== undefined) {
      const bounds = bucketBounds(start, end, n);
      const acc = new BucketAcc(n);
      const wanted = s.parts.filter((part) => {
        const [p0, p1] = x === "step" ? [part.s0, part.s1] : [part.t0, part.t1];
        return p1 >= start && p0 <= end;
      });
      // Fetched a few at a time, decoded one at a time: memory stays at a few parts.
      for (let i = 0; i < wanted.length; i += FETCH_AHEAD) {
        const batch = wanted.slice(i, i + FETCH_AHEAD);
        const bytes = await Promise.all(batch.map((part) => partBytes(f, part)));
        for (const b of bytes) acc.addPoints(decodeChunk(b), x, bounds);
      }
      points = acc.toJson();
    }
    series.push({ run, points });
  }
  return { key, x, start: start ?? null, end: end ?? null, buckets: n, series };
}
