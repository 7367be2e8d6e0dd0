// Quick figures for the metric store alone (not the official `npm run bench`):
// ingests N points of one metric, then reports bytes per point and the p50 of
// 1,000-bucket reads, and per-batch ingest latency. METRICS_POINTS=… to size it.
import { Pool } from "@neondatabase/serverless";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "../local/stack.ts";
import { batchBody, createProject, createRun, lossAt, signUp } from "./api.ts";
import { metricTableBytes } from "./storage.ts";

const points = Number(process.env.METRICS_POINTS ?? 1_000_000);
const stack = await startStack({
  dataDir: mkdtempSync(join(tmpdir(), "sightline-mprof-")),
  databaseUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
  freshDatabase: `sightline_mprof_${Date.now().toString(36)}`,
  appEnv: "development",
  log: () => {},
});
const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const api = await signUp(stack.url);
  const project = await createProject(api, "prof");
  const run = await createRun(api, project, "one");
  const lat: number[] = [];
  const t0 = performance.now();
  let next = 0;
  const batches = points / 1000;
  await Promise.all(
    Array.from({ length: Number(process.env.METRICS_CLIENTS ?? 1) }, async () => {
      for (let seq = next++; seq < batches; seq = next++) {
        const body = batchBody(seq, ["loss"], seq * 1000, 1000, (_k, s) => lossAt(s));
        const t = performance.now();
        await api.post(`/api/v1/runs/${run}/metrics`, body);
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  console.log(`ingest: ${points} pts in ${secs.toFixed(1)} s = ${Math.round(points / secs)} pts/s; batch p50 ${p50(lat).toFixed(1)} ms`);
  const { bytes } = await metricTableBytes(pool);
  console.log(`bytes/point: ${(bytes / points).toFixed(2)}`);
  const reads: number[] = [];
  let st = "";
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const res = await fetch(`${stack.url}/api/v1/metrics/buckets?run=${run}&key=loss&buckets=1000`, { headers: { authorization: `Bearer ${api.key}` } });
    await res.text();
    reads.push(performance.now() - t);
    st = res.headers.get("server-timing") ?? "";
  }
  console.log(`last read's server timing: ${st}`);
  console.log(`1,000-bucket read p50: ${p50(reads).toFixed(1)} ms`);
  const simple: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await api.call("GET", `/api/v1/runs/${run}/metrics`);
    simple.push(performance.now() - t);
  }
  console.log(`GET /runs/{run}/metrics p50: ${p50(simple).toFixed(1)} ms`);
} finally {
  await pool.end();
  await stack.stop();
}
