// Bytes on disk per point: 1,000,000 points of one metric, compacted by the
// cron until it settles, then the total size of the metric tables (heap,
// indexes and TOAST) divided by the points.
import type { Pool } from "@neondatabase/serverless";
import { batchBody, createRun, lossAt, type Api } from "./api.ts";
import { log } from "./stats.ts";

export const STORAGE_KEY = "loss";

// The metric tables of schema/tables/metrics.ts (metric_series, metric_chunks,
// metric_batches, ...), found by name so a new one is counted too.
export async function metricTableBytes(pool: Pool): Promise<{ bytes: number; tables: string[] }> {
  const res = await pool.query(
    `select tablename, pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)::bigint as bytes
       from pg_tables where schemaname = 'public' and tablename like 'metric\\_%'`,
  );
  if (res.rows.length === 0) throw new Error("no metric_* tables in the database: has schema/tables/metrics.ts been migrated?");
  return { bytes: res.rows.reduce((n, r) => n + Number(r.bytes), 0), tables: res.rows.map((r) => r.tablename as string) };
}

// Ticks the scheduled handler (as Cloudflare's cron would) until no series
// waits for compaction, or the size stops changing when there is no such flag.
export async function settleCompaction(url: string, pool: Pool, maxSeconds = 120): Promise<void> {
  const t0 = Date.now();
  let last = "";
  let still = 0;
  for (let tick = 1; Date.now() - t0 < maxSeconds * 1000; tick++) {
    const res = await fetch(`${url}/__scheduled?cron=*/5+*+*+*+*`);
    await res.text();
    let pending: number | null = null;
    let chunks: number | null = null;
    try {
      pending = Number((await pool.query("select count(*)::int as n from metric_series where needs_compaction")).rows[0].n);
      chunks = Number((await pool.query("select count(*)::int as n from metric_chunks")).rows[0].n);
    } catch {
      // not the schema this was written for: fall back to a stable size
    }
    const { bytes } = await metricTableBytes(pool);
    // Deleted chunks do not shrink the files, so progress is judged by the chunk count too.
    const state = `${pending}/${chunks}/${bytes}`;
    still = state === last ? still + 1 : 0;
    last = state;
    if (pending === 0 || (pending === null && still >= 1)) {
      log(`compaction settled after ${tick} cron tick(s)`);
      return;
    }
    // Nothing moves: compaction is not running (or cannot finish); say so rather than wait.
    if (still >= 20) {
      log(`compaction made no progress in 20 ticks (${pending} series still flagged, ${chunks} chunks); measuring as is`);
      return;
    }
    if (tick % 10 === 0) log(`compaction: ${pending ?? "?"} series still flagged after ${tick} ticks, ${chunks ?? "?"} chunks, ${bytes} bytes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`compaction did not settle within ${maxSeconds} s; measuring anyway`);
}

export async function storage(api: Api, pool: Pool, project: string, points = 1_000_000): Promise<{ runId: string; bytesPerPoint: number; liveBytesPerPoint: number }> {
  const runId = await createRun(api, project, "storage-1m");
  const perBatch = 1_000;
  const batches = points / perBatch;
  log(`storage: sending ${points} points of "${STORAGE_KEY}" in ${batches} batches`);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let seq = next++; seq < batches; seq = next++) {
        await api.post(`/api/v1/runs/${runId}/metrics`, batchBody(seq, [STORAGE_KEY], seq * perBatch, perBatch, (_k, s) => lossAt(s)));
      }
    }),
  );
  log(`storage: sent in ${((performance.now() - t0) / 1000).toFixed(1)} s; compacting`);
  await settleCompaction(api.url, pool);
  // What autovacuum would do; it does not shrink files, so the figure keeps dead space.
  const { tables } = await metricTableBytes(pool);
  for (const t of tables) await pool.query(`vacuum (analyze) ${t}`);
  const { bytes } = await metricTableBytes(pool);
  // The live data alone, for comparison (VACUUM FULL rewrites the tables).
  for (const t of tables) await pool.query(`vacuum full ${t}`);
  const live = (await metricTableBytes(pool)).bytes;
  log(`storage: ${bytes} bytes on disk (${live} after VACUUM FULL) for ${points} points in ${tables.join(", ")}`);
  return { runId, bytesPerPoint: bytes / points, liveBytesPerPoint: live / points };
}
