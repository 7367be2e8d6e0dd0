// `npm run bench`: the whole product on this machine (Worker in workerd, the
// local PostgreSQL through the Neon driver's relay), then the figures of
// DESIGN.md beside their targets. Writes bench/out/latest.json, then the
// dashboard's and the artifacts' figures to bench/out/{dashboard,artifacts}.json.
// BENCH_QUICK=1 runs a small version (to check the bench itself) and writes
// bench/out/quick.json instead. BENCH_LOG=1 shows the Worker's log.
import { Pool } from "@neondatabase/serverless";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startStack } from "../local/stack.ts";
import { RouteMissingError, createProject, missingRoutes, resent, signUp } from "./api.ts";
import { INGEST_KEYS, ingest, sdkIngest } from "./ingest.ts";
import { bucketRead, compareRead } from "./reads.ts";
import { retries } from "./retries.ts";
import { runsPage } from "./runs-page.ts";
import { log, printTable, round } from "./stats.ts";
import { STORAGE_KEY, settleCompaction, storage } from "./storage.ts";
import { benchArtifacts } from "./artifacts.ts";
import { benchDashboard, printDashboard } from "./dashboard.ts";

const quick = process.env.BENCH_QUICK === "1";
const size = quick
  ? { storagePoints: 100_000, seconds1: 3, seconds16: 4, batches1: 100, batches16: 20, runs: 1_000, sdkSteps: 5_000, retryBatches: 10 }
  : { storagePoints: 1_000_000, seconds1: 15, seconds16: 20, batches1: 600, batches16: 150, runs: 10_000, sdkSteps: 50_000, retryBatches: 50 };
const outDir = fileURLToPath(new URL("./out/", import.meta.url));

const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-"));
// Embedded PostgreSQL by default; BENCH_DATABASE_URL (or DATABASE_URL) names a server.
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
log(`starting the stack (Postgres: ${serverUrl ? new URL(serverUrl).host : "embedded"}, a fresh database)`);
const stack = await startStack({
  dataDir,
  databaseUrl: serverUrl,
  freshDatabase: `sightline_bench_${Date.now().toString(36)}`,
  appEnv: "development",
  log: (line) => {
    if (process.env.BENCH_LOG) console.log(`  [stack] ${line}`);
  },
});
const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
let exitCode = 0;
try {
  const missing = await missingRoutes(stack.url);
  if (missing.length > 0) throw new RouteMissingError(`the Worker lacks routes the bench needs:\n  ${missing.join("\n  ")}`);
  const api = await signUp(stack.url);
  const project = await createProject(api, "bench");
  const t0 = performance.now();

  // On the empty tables first, so the size is that of these points alone.
  const store = await storage(api, pool, project, size.storagePoints);
  const bucketP50 = await bucketRead(api, store.runId, STORAGE_KEY, size.storagePoints);

  const one = await ingest(api, project, 1, { seconds: size.seconds1, batchesPerClient: size.batches1 });
  const sixteen = await ingest(api, project, 16, { seconds: size.seconds16, batchesPerClient: size.batches16 });
  await settleCompaction(api.url, pool);
  const compareP50 = await compareRead(api, sixteen.runIds.slice(0, 10), INGEST_KEYS[0]!);

  const check = await retries(api, project, { runs: 4, batches: size.retryBatches });
  const pageP50 = await runsPage(api, pool, await createProject(api, "bench-runs-page"), size.runs);
  const sdk = await sdkIngest(api, project, size.sdkSteps);

  const figures = {
    ingest_pts_per_s_1: Math.round(one.ptsPerS),
    ingest_pts_per_s_16: Math.round(sixteen.ptsPerS),
    ingest_p50_ms: round(one.p50),
    ingest_p95_ms: round(one.p95),
    bytes_per_point: round(store.bytesPerPoint, 2),
    bucket_read_p50_ms: round(bucketP50),
    compare_read_p50_ms: round(compareP50),
    runs_page_p50_ms: round(pageP50),
    lost: check.lost,
    doubled: check.doubled,
  };
  printTable([
    { name: "ingest, 1 client", value: figures.ingest_pts_per_s_1, unit: "pts/s" },
    { name: "ingest, 16 clients", value: figures.ingest_pts_per_s_16, unit: "pts/s", target: "≥ 500,000", ok: sixteen.ptsPerS >= 500_000 },
    { name: "ingest request p50 (1 client)", value: figures.ingest_p50_ms, unit: "ms" },
    { name: "ingest request p95 (1 client)", value: figures.ingest_p95_ms, unit: "ms" },
    { name: "ingest request p50 / p95 (16 clients)", value: `${round(sixteen.p50)} / ${round(sixteen.p95)}`, unit: "ms" },
    { name: "ingest via the SDK, 1 run", value: Math.round(sdk.ptsPerS), unit: "pts/s" },
    { name: `bytes on disk per point (${size.storagePoints.toLocaleString("en-US")} pts)`, value: figures.bytes_per_point, unit: "B", target: "≤ 12", ok: store.bytesPerPoint <= 12 },
    { name: "  same after VACUUM FULL (live data)", value: round(store.liveBytesPerPoint, 2), unit: "B" },
    { name: "bucket read, 1,000 buckets, p50", value: figures.bucket_read_p50_ms, unit: "ms", target: "≤ 50", ok: bucketP50 <= 50 },
    { name: "compare read, 10 runs, p50", value: figures.compare_read_p50_ms, unit: "ms" },
    { name: `runs page (${size.runs.toLocaleString("en-US")} runs), p50`, value: figures.runs_page_p50_ms, unit: "ms", target: "≤ 50", ok: pageP50 <= 50 },
    { name: "lost points", value: figures.lost, unit: "", target: "0", ok: check.lost === 0 },
    { name: "doubled points", value: figures.doubled, unit: "", target: "0", ok: check.doubled === 0 },
  ]);
  if (resent.count > 0) log(`note: ${resent.count} request(s) answered 503 (Worker restarted) and were re-sent; their latency counts`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, quick ? "quick.json" : "latest.json");
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  log(`wrote ${file} (bench took ${Math.round((performance.now() - t0) / 1000)} s after start-up)`);

  // Issue 4 and 5 figures, each in a file of its own beside latest.json.
  if (!quick) {
    const dash = await benchDashboard(stack);
    printDashboard(dash);
    writeFileSync(join(outDir, "dashboard.json"), `${JSON.stringify(dash, null, 2)}\n`);
    const art = await benchArtifacts(stack);
    log(`artifacts (${art.mib} MiB): upload ${art.upload.sightline_mib_s} MiB/s (direct ${art.upload.direct_mib_s}), Worker's share ${art.upload.worker_share_excl_store} without the store's own completion (${art.upload.worker_share} with it); download ${art.download.sightline_mib_s} MiB/s (direct ${art.download.direct_mib_s}), Worker's share ${art.download.worker_share}`);
    writeFileSync(join(outDir, "artifacts.json"), `${JSON.stringify(art, null, 2)}\n`);
  }
} catch (err) {
  exitCode = err instanceof RouteMissingError ? 2 : 1;
  console.error(`\nbench failed: ${err instanceof Error ? err.message : String(err)}`);
  if (!(err instanceof RouteMissingError) && err instanceof Error) console.error(err.stack);
} finally {
  await pool.end().catch(() => {});
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
