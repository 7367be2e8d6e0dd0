// The cost of quota enforcement on the ingest path (issue 11, docs/adr/0011):
// 16 clients ingesting 1,000-point batches through two Workers that differ
// only in QUOTAS (on: usage read, checked and counted in the ingest
// statements; off: none of that), against the same database, in alternating
// rounds so drift in the machine's load falls on both. The figure is the
// ratio of the two throughputs (target ≥ 0.95).
//   node --experimental-strip-types bench/quota.ts   (a stack of its own)
// BENCH_QUICK=1 runs one short round each and writes quota-quick.json.
import { Pool } from "@neondatabase/serverless";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { root, type Stack } from "../local/stack.ts";
import { startWranglerDev } from "../local/wrangler-dev.ts";
import { createProject, signUp, type Api } from "./api.ts";
import { cpuModel } from "./cpu.ts";
import { ingest } from "./ingest.ts";
import { startBenchStack } from "./stack.ts";
import { log, round } from "./stats.ts";

export type QuotaFigures = {
  clients: number;
  rounds: number;
  seconds_per_round: number;
  on_pts_per_s: number[];
  off_pts_per_s: number[];
  on_p95_ms: number;
  off_p95_ms: number;
  // Each round's on/off, measured back to back, so the machine's drifting load
  // (other processes) falls on both halves of a pair; the figure is their median.
  round_ratios: number[];
  ratio: number;
  target: string;
  ok: boolean;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function startWorker(stack: Stack, dataDir: string, name: string, quotas: "on" | "off") {
  return startWranglerDev({
    root,
    persistDir: join(dataDir, `wrangler-quota-${name}`),
    log: (line) => {
      if (process.env.BENCH_LOG) console.log(`  [quota-${name}] ${line}`);
    },
    vars: {
      APP_ENV: "development",
      DATABASE_URL: stack.databaseUrl,
      NEON_WS_PROXY: stack.wsProxy,
      JWT_KEYS: `quota1:${randomBytes(32).toString("base64url")}`,
      S3_ENDPOINT: stack.s3.endpoint,
      S3_REGION: stack.s3.region,
      S3_BUCKET: stack.s3.bucket,
      S3_ACCESS_KEY_ID: stack.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
      QUOTAS: quotas,
    },
  });
}

// A team whose quota is far away and whose rates never bind, so "on" pays
// for the check and the count, never for a refusal or the locked zone.
async function benchTeam(url: string, pool: Pool): Promise<{ api: Api; project: string }> {
  const api = await signUp(url);
  const limits = { metricPointsPerMonth: 1e15, ingestPointsPerSecond: 1e12, apiRequestsPerSecond: 1e9, runsPerMonth: 1e9 };
  await pool.query("update teams set plan_overrides = $2 where id = $1", [api.teamId, JSON.stringify(limits)]);
  return { api, project: await createProject(api, "bench-quota") };
}

export async function benchQuota(stack: Stack & { relayPid: number }, dataDir: string, pool: Pool, quick: boolean): Promise<QuotaFigures> {
  const rounds = quick ? 1 : 5;
  const seconds = quick ? 3 : 8;
  const clients = 16;
  const [on, off] = await Promise.all([startWorker(stack, dataDir, "on", "on"), startWorker(stack, dataDir, "off", "off")]);
  try {
    const a = await benchTeam(on.url, pool);
    const b = await benchTeam(off.url, pool);
    // Bodies are built before the clock starts: enough for the round, not more.
    const opts = { seconds, batchesPerClient: quick ? 40 : 150, relayPid: stack.relayPid };
    // A short warm-up each (isolate start, connection setup, plan caches).
    await ingest(a.api, a.project, clients, { ...opts, seconds: 1, batchesPerClient: 5 });
    await ingest(b.api, b.project, clients, { ...opts, seconds: 1, batchesPerClient: 5 });
    const onRuns: { ptsPerS: number; p95: number }[] = [];
    const offRuns: { ptsPerS: number; p95: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always follows the other.
      const order = r % 2 === 0 ? ([["on", a], ["off", b]] as const) : ([["off", b], ["on", a]] as const);
      for (const [mode, t] of order) {
        const res = await ingest(t.api, t.project, clients, opts);
        (mode === "on" ? onRuns : offRuns).push(res);
        log(`quota ${mode}, round ${r + 1}: ${Math.round(res.ptsPerS)} pts/s, p95 ${round(res.p95)} ms`);
      }
    }
    const onPts = onRuns.map((x) => Math.round(x.ptsPerS));
    const offPts = offRuns.map((x) => Math.round(x.ptsPerS));
    const roundRatios = onPts.map((x, i) => round(x / offPts[i]!, 3));
    const ratio = median(roundRatios);
    return {
      clients,
      rounds,
      seconds_per_round: seconds,
      on_pts_per_s: onPts,
      off_pts_per_s: offPts,
      on_p95_ms: round(median(onRuns.map((x) => x.p95))),
      off_p95_ms: round(median(offRuns.map((x) => x.p95))),
      round_ratios: roundRatios,
      ratio,
      target: "≥ 0.95",
      ok: ratio >= 0.95,
    };
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
}

export const describeQuota = (q: QuotaFigures) =>
  `quota enforcement, ${q.clients} clients: on ${q.on_pts_per_s.join(", ")} pts/s vs off ${q.off_pts_per_s.join(", ")} ` +
  `(per round ${q.round_ratios.join(", ")}; median ratio ${q.ratio}, target ${q.target}${q.ok ? "" : ", MISSED"}); p95 ${q.on_p95_ms} vs ${q.off_p95_ms} ms`;

export function writeQuota(q: QuotaFigures, quick: boolean) {
  const outDir = fileURLToPath(new URL("./out/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, quick ? "quota-quick.json" : "quota.json");
  writeFileSync(file, `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...q }, null, 2)}\n`);
  log(`wrote ${file}`);
}

// Run on its own: a bench stack of its own, then the figure.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.env.BENCH_QUICK === "1";
  const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-"));
  const stack = await startBenchStack({
    dataDir,
    serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
    database: `sightline_bench_${Date.now().toString(36)}`,
    log: (line) => {
      if (process.env.BENCH_LOG) console.log(`  [stack] ${line}`);
    },
  });
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
  let exitCode = 0;
  try {
    const q = await benchQuota(stack, dataDir, pool, quick);
    log(`${describeQuota(q)}; ${cpuModel}, load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    writeQuota(q, quick);
  } catch (err) {
    exitCode = 1;
    console.error(`\nquota bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await pool.end().catch(() => {});
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}
