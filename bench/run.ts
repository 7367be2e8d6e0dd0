// `npm run bench`: the whole product on this machine (Worker in workerd, the
// local PostgreSQL through the Neon driver's relay, here in a child process of
// its own), then the figures of DESIGN.md beside their targets, each ingest
// figure with the CPU every process spent per point, the machine's load and
// its CPU model. Writes bench/out/latest.json, then the dashboard's and the
// artifacts' figures to bench/out/{dashboard,artifacts}.json, the Python SDK's
// and MLflow's to bench/out/{python,mlflow}.json, retention's to bench/out/retention.json.
// BENCH_QUICK=1 runs a small version (to check the bench itself) and writes
// bench/out/quick.json instead. BENCH_LOG=1 shows the Worker's log.
// BENCH_DATABASE_URL (or DATABASE_URL) runs it on that Postgres server.
import { Pool } from "@neondatabase/serverless";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RouteMissingError, createProject, missingRoutes, resent, signUp } from "./api.ts";
import { benchArtifacts } from "./artifacts.ts";
import { compactionBacklog } from "./compaction.ts";
import { cpuModel, printCpu } from "./cpu.ts";
import { benchDashboard, printDashboard } from "./dashboard.ts";
import { benchMlflow, describeMlflow } from "./mlflow.ts";
import { benchPythonSdk, describePython } from "./python-sdk.ts";
import { benchQuota, describeQuota, writeQuota } from "./quota.ts";
import { INGEST_KEYS, ingest, sdkIngest } from "./ingest.ts";
import { bucketRead, compareRead } from "./reads.ts";
import { benchRetention, describeRetention } from "./retention.ts";
import { retries } from "./retries.ts";
import { runsPage } from "./runs-page.ts";
import { benchShare, describeShare } from "./share.ts";
import { benchWorkspace, describeWorkspace } from "./workspace.ts";
import { startBenchStack } from "./stack.ts";
import { log, printTable, round } from "./stats.ts";
import { STORAGE_KEY, settleCompaction, storage } from "./storage.ts";
import { workerBundle } from "./worker-bundle.ts";

const quick = process.env.BENCH_QUICK === "1";
const size = quick
  ? { storagePoints: 100_000, seconds1: 3, seconds16: 4, batches1: 100, batches16: 20, runs: 1_000, sdkSteps: 5_000, sdk16Steps: 2_500, retryBatches: 10, backlogRuns: 200 }
  : { storagePoints: 1_000_000, seconds1: 15, seconds16: 20, batches1: 600, batches16: 150, runs: 10_000, sdkSteps: 50_000, sdk16Steps: 25_000, retryBatches: 50, backlogRuns: 1_000 };
const outDir = fileURLToPath(new URL("./out/", import.meta.url));
const load = () => loadavg().map((x) => round(x, 2)).join(" ");

const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-"));
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
log(`CPU: ${cpuModel}; load ${load()}`);
log(`starting the stack (Postgres: ${serverUrl ? new URL(serverUrl).host : "embedded"}, a fresh database)`);
const stack = await startBenchStack({
  dataDir,
  serverUrl,
  database: `sightline_bench_${Date.now().toString(36)}`,
  log: (line) => {
    if (process.env.BENCH_LOG) console.log(`  [stack] ${line}`);
  },
});
log(`PostgreSQL ${stack.postgresVersion} (${stack.postgres}); Postgres CPU is counted only when the bench started the server`);
const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
let exitCode = 0;
try {
  const missing = await missingRoutes(stack.url);
  if (missing.length > 0) throw new RouteMissingError(`the Worker lacks routes the bench needs:\n  ${missing.join("\n  ")}`);
  const api = await signUp(stack.url);
  const project = await createProject(api, "bench");
  const t0 = performance.now();
  const bundle = workerBundle();
  log(`deployable Worker: ${bundle.bytes} bytes, ${bundle.gzip_bytes} gzipped; global-scope start-up ${bundle.startup_ms} ms (Node import, median of ${bundle.startup_samples_ms.join(", ")})`);

  // On the empty tables first, so the size is that of these points alone.
  const store = await storage(api, pool, project, size.storagePoints);
  const bucketP50 = await bucketRead(api, store.runId, STORAGE_KEY, size.storagePoints);

  const backlog = await compactionBacklog(api, pool, await createProject(api, "bench-log-metric"), { runs: size.backlogRuns, points: 2 });

  const relayPid = stack.relayPid;
  const one = await ingest(api, project, 1, { seconds: size.seconds1, batchesPerClient: size.batches1, relayPid });
  const sixteen = await ingest(api, project, 16, { seconds: size.seconds16, batchesPerClient: size.batches16, relayPid });
  const sdk16 = await sdkIngest(api, project, 16, size.sdk16Steps, relayPid);
  const sdk = await sdkIngest(api, project, 1, size.sdkSteps, relayPid);
  await settleCompaction(api.url, pool);
  const compareP50 = await compareRead(api, sixteen.runIds.slice(0, 10), INGEST_KEYS[0]!);

  const check = await retries(api, pool, project, { runs: 4, batches: size.retryBatches });
  const pageP50 = await runsPage(api, pool, await createProject(api, "bench-runs-page"), size.runs);

  const figures = {
    cpu_model: cpuModel,
    postgres: `${stack.postgresVersion} (${stack.postgres})`,
    ingest_pts_per_s_1: Math.round(one.ptsPerS),
    ingest_pts_per_s_16: Math.round(sixteen.ptsPerS),
    ingest_sdk_pts_per_s_16: Math.round(sdk16.ptsPerS),
    ingest_sdk_points_per_batch_16: Math.round(sdk16.points / sdk16.batches),
    ingest_sdk_pts_per_s_1: Math.round(sdk.ptsPerS),
    ingest_p50_ms: round(one.p50),
    ingest_p95_ms: round(one.p95),
    cpu: { ingest_1: one.cpu, ingest_16: sixteen.cpu, ingest_sdk_16: sdk16.cpu, ingest_sdk_1: sdk.cpu },
    bytes_per_point: round(store.bytesPerPoint, 2),
    bucket_read_p50_ms: round(bucketP50),
    compare_read_p50_ms: round(compareP50),
    runs_page_p50_ms: round(pageP50),
    compaction_backlog: backlog,
    lost: check.lost,
    doubled: check.doubled,
    retries: check,
    worker_bundle: bundle,
    load_at_end: loadavg().map((x) => round(x, 2)),
  };
  printTable([
    { name: "ingest, 1 client, 1,000-point batches", value: figures.ingest_pts_per_s_1, unit: "pts/s" },
    { name: "ingest, 16 clients, 1,000-point batches", value: figures.ingest_pts_per_s_16, unit: "pts/s" },
    { name: `ingest via the SDK, 16 runs (${figures.ingest_sdk_points_per_batch_16.toLocaleString("en-US")} pts a batch)`, value: figures.ingest_sdk_pts_per_s_16, unit: "pts/s", target: "≥ 500,000", ok: sdk16.ptsPerS >= 500_000 },
    { name: "ingest via the SDK, 1 run", value: figures.ingest_sdk_pts_per_s_1, unit: "pts/s" },
    { name: "ingest request p50 / p95 (1 client)", value: `${figures.ingest_p50_ms} / ${figures.ingest_p95_ms}`, unit: "ms" },
    { name: "ingest request p50 / p95 (16 clients)", value: `${round(sixteen.p50)} / ${round(sixteen.p95)}`, unit: "ms" },
    { name: `bytes on disk per point (${size.storagePoints.toLocaleString("en-US")} pts, jittered stamps)`, value: figures.bytes_per_point, unit: "B", target: "≤ 12", ok: store.bytesPerPoint <= 12 },
    { name: "  same after VACUUM FULL (live data)", value: round(store.liveBytesPerPoint, 2), unit: "B" },
    { name: "bucket read, 1,000 buckets, p50", value: figures.bucket_read_p50_ms, unit: "ms", target: "≤ 50", ok: bucketP50 <= 50 },
    { name: "compare read, 10 runs, p50", value: figures.compare_read_p50_ms, unit: "ms" },
    { name: `runs page (${size.runs.toLocaleString("en-US")} runs), p50`, value: figures.runs_page_p50_ms, unit: "ms", target: "≤ 50", ok: pageP50 <= 50 },
    { name: `compaction: ${backlog.series.toLocaleString("en-US")} series of one-point chunks cleared in`, value: backlog.ticks, unit: "ticks", target: "≤ 2", ok: backlog.ticks <= 2 },
    { name: "  series compacted per second", value: backlog.series_per_s, unit: "series/s" },
    { name: "  a writer meanwhile, p50 / p99 (idle p50)", value: `${backlog.writer_p50_ms} / ${backlog.writer_p99_ms} (${backlog.writer_p50_idle_ms})`, unit: "ms" },
    { name: "deployable Worker, gzipped", value: round(bundle.gzip_bytes / 1024), unit: "KiB", target: "≤ 3 MiB", ok: bundle.gzip_bytes <= 3 * 1024 * 1024 },
    { name: "  global-scope start-up (Node import, p50)", value: bundle.startup_ms, unit: "ms" },
    { name: "lost points (read back)", value: figures.lost, unit: "", target: "0", ok: check.lost === 0 },
    { name: "doubled points (stored in chunks, accepted)", value: figures.doubled, unit: "", target: "0", ok: check.doubled === 0 },
    { name: "re-sent batches answered duplicate", value: `${check.duplicates} of ${check.resent}`, unit: "", target: "all", ok: check.duplicates === check.resent },
  ]);
  printCpu([
    { name: "ingest, 1 client, 1,000-pt batches", pts: one.ptsPerS, cpu: one.cpu },
    { name: "ingest, 16 clients, 1,000-pt batches", pts: sixteen.ptsPerS, cpu: sixteen.cpu },
    { name: "ingest via the SDK, 16 runs", pts: sdk16.ptsPerS, cpu: sdk16.cpu },
    { name: "ingest via the SDK, 1 run", pts: sdk.ptsPerS, cpu: sdk.cpu },
  ]);
  log(`figures measured on ${cpuModel}, load ${load()} at the end`);
  if (resent.count > 0) log(`note: ${resent.count} request(s) answered 503 (Worker restarted) and were re-sent; their latency counts`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, quick ? "quick.json" : "latest.json");
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  log(`wrote ${file} (bench took ${Math.round((performance.now() - t0) / 1000)} s after start-up)`);

  // Python SDK figures (issue 10), beside latest.json.
  const py = await benchPythonSdk(stack.url, quick);
  for (const line of describePython(py)) log(`${line}; ${cpuModel}, load ${load()}`);
  writeFileSync(join(outDir, quick ? "python-quick.json" : "python.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...py }, null, 2)}\n`);

  // MLflow figures (issue 9): log-batch beside native ingest, search_runs by the real client.
  const mlf = await benchMlflow(api, quick, stack.relayPid);
  for (const line of describeMlflow(mlf)) log(`${line}; ${cpuModel}, load ${load()}`);
  writeFileSync(join(outDir, quick ? "mlflow-quick.json" : "mlflow.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...mlf }, null, 2)}\n`);

  // Issue 11: retention deleting 1,000 runs of 100,000 points, another team ingesting meanwhile.
  const ret = await benchRetention(stack.url, pool, quick);
  for (const line of describeRetention(ret)) log(`${line}; ${cpuModel}, load ${load()}`);
  writeFileSync(join(outDir, quick ? "retention-quick.json" : "retention.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...ret }, null, 2)}\n`);

  // Issue 11: ingest with quota enforcement on vs off, through two Workers of its own.
  const quota = await benchQuota(stack, dataDir, pool, quick);
  log(`${describeQuota(quota)}; ${cpuModel}, load ${load()}`);
  writeQuota(quota, quick);

  // Issue 4 and 5 figures, each in a file of its own beside latest.json.
  if (!quick) {
    const dash = await benchDashboard(stack);
    printDashboard(dash);
    writeFileSync(join(outDir, "dashboard.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...dash }, null, 2)}\n`);
    const art = await benchArtifacts(stack);
    log(`artifacts (${art.mib} MiB): upload ${art.upload.sightline_mib_s} MiB/s (direct ${art.upload.direct_mib_s}), Worker's own share ${art.upload.worker_share_excl_store} (${art.upload.worker_share} with the store serving its calls); download ${art.download.sightline_mib_s} MiB/s (direct ${art.download.direct_mib_s}), Worker's own share ${art.download.worker_share_excl_store}; ${cpuModel}, load ${load()}`);
    writeFileSync(join(outDir, "artifacts.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...art }, null, 2)}\n`);
    // Issue 12: a shared report's first paint and share-link reads per second.
    const share = await benchShare(stack, quick);
    for (const line of describeShare(share)) log(`${line}; ${cpuModel}, load ${load()}`);
    writeFileSync(join(outDir, "share.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...share }, null, 2)}\n`);
    // Issue 13: a 50-chart project workspace and a synced hover sweep.
    const ws = await benchWorkspace(stack, quick);
    for (const line of describeWorkspace(ws)) log(`${line}; ${cpuModel}, load ${load()}`);
    writeFileSync(join(outDir, "workspace.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...ws }, null, 2)}\n`);
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
