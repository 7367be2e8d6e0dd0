// MLflow figures (issue 9): log-batch points/s through /api/2.0/mlflow at 1
// and 16 clients, each beside the native ingest route fed the very same
// points in the same bench run (target ratio ≥ 0.8), and the real Python
// client's MlflowClient.search_runs over 10,000 runs, p50.
import { fileURLToPath } from "node:url";
import { createProject, createRun, type Api } from "./api.ts";
import { cpuBetween, describeCpu, sample, type CpuFigures } from "./cpu.ts";
import { exec, mlflowVenv } from "./mlflow-venv.ts";
import { log, percentile, round, timeIt } from "./stats.ts";

const SCRIPT = fileURLToPath(new URL("./mlflow_search.py", import.meta.url));
const KEYS = ["train/loss", "train/acc", "lr", "grad_norm"];
const PER_KEY = 250; // × 4 keys = 1,000 metrics a request, log-batch's limit
const T0 = 1_700_000_000_000;

type Point = { key: string; step: number; value: number; timestamp: number };
type Door = { pts_per_s: number; p50_ms: number; p95_ms: number; cpu: CpuFigures };
// ratio: MLflow's pts/s ÷ native's; cpu_ratio: native's CPU per point ÷ MLflow's (all our processes),
// steadier than throughput on a shared machine.
export type LogBatchFigures = { clients: number; points: number; native: Door; mlflow: Door; ratio: number; cpu_ratio: number };
export type MlflowFigures = {
  log_batch_1: LogBatchFigures;
  log_batch_16: LogBatchFigures;
  // p50_ms is what the Python client's caller waits (parsing 1,000 runs included);
  // http_p50_ms the same request's answer alone, from Node.
  search_runs: { runs: number; calls: number; rows: number; p50_ms: number; p95_ms: number; http_p50_ms: number; setup_s: number };
};

// Batch `seq` of one client: steps seq*250 … seq*250+249 of each key, with
// training-loop stamps (100 ms a step, a few ms of jitter).
function points(seq: number): Point[] {
  const out: Point[] = [];
  for (const key of KEYS) {
    for (let step = seq * PER_KEY; step < (seq + 1) * PER_KEY; step++) {
      out.push({ key, step, value: 2 * Math.exp(-step / 50_000) + 0.05 * Math.random(), timestamp: T0 + step * 100 + (step % 7) });
    }
  }
  return out;
}

// The native contract: columns per key, numbered batches.
function nativeBody(seq: number, pts: Point[]): string {
  const metrics: Record<string, { steps: number[]; values: number[]; timestamps: number[] }> = {};
  for (const p of pts) {
    const m = (metrics[p.key] ??= { steps: [], values: [], timestamps: [] });
    m.steps.push(p.step);
    m.values.push(p.value);
    m.timestamps.push(p.timestamp);
  }
  return JSON.stringify({ seq, metrics });
}

// What MLflow's client sends: protobuf JSON, a row per point, int64 as strings.
function mlflowBody(runId: string, pts: Point[]): string {
  const metrics = pts.map((p) => ({ key: p.key, value: p.value, timestamp: String(p.timestamp), step: String(p.step) }));
  return JSON.stringify({ run_id: runId, metrics });
}

type Tally = { points: number; seconds: number; latencies: number[]; cpus: CpuFigures[] };

async function drive(api: Api, t: Tally, bodies: { path: string; list: string[] }[], relayPid: number): Promise<void> {
  const before = sample();
  await Promise.all(
    bodies.map(async ({ path, list }) => {
      for (const body of list) {
        const s = performance.now();
        await api.post(path, body);
        t.latencies.push(performance.now() - s);
      }
    }),
  );
  const after = sample();
  const points = bodies.reduce((n, b) => n + b.list.length, 0) * PER_KEY * KEYS.length;
  t.points += points;
  t.seconds += (after.at - before.at) / 1000;
  t.cpus.push(cpuBetween(before, after, relayPid, points));
}

// CPU of several slices as one figure: seconds summed, µs per point over all points.
function mergeCpu(list: CpuFigures[], points: number): CpuFigures {
  const cpu_s: Record<string, number> = {};
  for (const f of list) for (const [k, v] of Object.entries(f.cpu_s)) cpu_s[k] = round((cpu_s[k] ?? 0) + v, 2);
  const wall = list.reduce((n, f) => n + f.wall_s, 0);
  const busy = (key: "machine_busy_cores" | "others_busy_cores") => round(list.reduce((n, f) => n + f[key] * f.wall_s, 0) / wall, 2);
  const us_per_point = Object.fromEntries(Object.entries(cpu_s).map(([k, v]) => [k, round((v * 1e6) / points)]));
  return { wall_s: round(wall, 2), cpu_s, us_per_point, machine_busy_cores: busy("machine_busy_cores"), others_busy_cores: busy("others_busy_cores"), load: list.at(-1)!.load };
}

const door = (t: Tally): Door => ({
  pts_per_s: Math.round(t.points / t.seconds),
  p50_ms: round(percentile(t.latencies, 50)),
  p95_ms: round(percentile(t.latencies, 95)),
  cpu: mergeCpu(t.cpus, t.points),
});

// The two doors take turns, a slice of every client's batches at a time, the
// first door swapped each round: a machine shared with other work slows both
// alike instead of whichever ran second.
async function logBatch(api: Api, project: string, clients: number, batches: number, rounds: number, relayPid: number): Promise<LogBatchFigures> {
  const batchPoints = Array.from({ length: clients }, () => Array.from({ length: batches }, (_, seq) => points(seq)));
  const nativeRuns = await Promise.all(batchPoints.map((_, i) => createRun(api, project, `native-${clients}-${i}`)));
  const mlflowRuns = await Promise.all(batchPoints.map((_, i) => createRun(api, project, `mlflow-${clients}-${i}`)));
  // Bodies are serialized before the clock starts, so the figure is the server's.
  const nativeBodies = nativeRuns.map((id, c) => ({ path: `/api/v1/runs/${id}/metrics`, list: batchPoints[c]!.map((p, seq) => nativeBody(seq, p)) }));
  const mlflowBodies = mlflowRuns.map((id, c) => ({ path: "/api/2.0/mlflow/runs/log-batch", list: batchPoints[c]!.map((p) => mlflowBody(id, p)) }));
  log(`mlflow log-batch: ${clients} client(s), ${batches} requests of 1,000 metrics each per door, in ${rounds} alternating rounds`);
  const native: Tally = { points: 0, seconds: 0, latencies: [], cpus: [] };
  const mlflow: Tally = { points: 0, seconds: 0, latencies: [], cpus: [] };
  const per = Math.ceil(batches / rounds);
  for (let r = 0; r < rounds; r++) {
    const slice = (all: typeof nativeBodies) => all.map((b) => ({ path: b.path, list: b.list.slice(r * per, (r + 1) * per) }));
    const turns: [Tally, typeof nativeBodies][] = [[native, slice(nativeBodies)], [mlflow, slice(mlflowBodies)]];
    if (r % 2 === 1) turns.reverse();
    for (const [t, b] of turns) await drive(api, t, b, relayPid);
  }
  // The figure only counts if every point is stored.
  for (const id of [mlflowRuns[0]!, nativeRuns[0]!]) {
    const got = await api.call<{ metrics: { key: string; count: number }[] }>("GET", `/api/v1/runs/${id}/metrics`);
    const counts = Object.fromEntries(got.metrics.map((m) => [m.key, m.count]));
    if (KEYS.some((k) => counts[k] !== batches * PER_KEY)) throw new Error(`log-batch bench: run ${id} holds ${JSON.stringify(counts)}, expected ${batches * PER_KEY} per key`);
  }
  const n = door(native);
  const m = door(mlflow);
  const ratio = round(m.pts_per_s / n.pts_per_s, 2);
  const cpu_ratio = round(n.cpu.us_per_point["all of the above"]! / m.cpu.us_per_point["all of the above"]!, 2);
  log(`mlflow log-batch, ${clients} client(s): ${m.pts_per_s} pts/s (p50 ${m.p50_ms} ms) vs native ${n.pts_per_s} pts/s (p50 ${n.p50_ms} ms): ratio ${ratio}; CPU per point native ÷ mlflow ${cpu_ratio}`);
  log(describeCpu(`mlflow log-batch, ${clients} client(s)`, m.cpu));
  log(describeCpu(`native ingest beside it, ${clients} client(s)`, n.cpu));
  return { clients, points: native.points, native: n, mlflow: m, ratio, cpu_ratio };
}

// `runs` runs through the native API, 16 at a time, each with params and a
// loss in [0, 1) (about half match the filter).
async function seedRuns(api: Api, project: string, runs: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < runs) {
        const i = next++;
        const id = await createRun(api, project, `sweep-${i}`, { lr: String((1 + (i % 10)) / 1000), optimizer: ["adam", "sgd", "adamw"][i % 3] });
        await api.call("POST", `/api/v1/runs/${id}/metrics`, { seq: 0, metrics: { loss: { steps: [0], values: [Math.random()], timestamps: [T0] } } });
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

async function searchRuns(api: Api, runs: number, calls: number): Promise<MlflowFigures["search_runs"]> {
  const project = await createProject(api, "bench-mlflow-search");
  const setup = await seedRuns(api, project, runs);
  log(`mlflow search_runs: ${runs} runs made through the native API in ${setup.toFixed(1)} s`);
  const py = await mlflowVenv(3);
  const r = await exec(py, [SCRIPT, "--experiment", project, "--calls", String(calls)], { MLFLOW_TRACKING_URI: api.url, MLFLOW_TRACKING_TOKEN: api.key, MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" });
  if (r.code !== 0) throw new Error(`mlflow_search.py exited ${r.code}:\n${r.out.slice(-3000)}`);
  const got = JSON.parse(r.out.trim().split("\n").pop()!) as { ms: number[]; rows: number[]; bad_rows: number; has_next_page: boolean };
  const expectRows = Math.min(1000, runs);
  if (got.bad_rows > 0 || got.rows.some((n) => n !== got.rows[0]) || (runs >= 4000 && (got.rows[0] !== expectRows || !got.has_next_page))) {
    throw new Error(`search_runs answered wrongly: rows ${got.rows.join(",")}, ${got.bad_rows} not matching the filter, next page ${got.has_next_page}`);
  }
  const body = { experiment_ids: [project], filter: "metrics.loss < 0.5", max_results: 1000, run_view_type: "ACTIVE_ONLY" };
  const http = await timeIt(() => api.call("POST", "/api/2.0/mlflow/runs/search", body), calls, 2);
  const fig = { runs, calls, rows: got.rows[0]!, p50_ms: round(percentile(got.ms, 50)), p95_ms: round(percentile(got.ms, 95)), http_p50_ms: round(percentile(http, 50)), setup_s: round(setup) };
  log(`mlflow search_runs over ${runs} runs ("metrics.loss < 0.5", 1,000 a page, ${fig.rows} rows): p50 ${fig.p50_ms} ms, p95 ${fig.p95_ms} ms (real Python client, ${calls} calls); the HTTP answer alone p50 ${fig.http_p50_ms} ms`);
  return fig;
}

export async function benchMlflow(api: Api, quick: boolean, relayPid: number): Promise<MlflowFigures> {
  const project = await createProject(api, "bench-mlflow");
  const log_batch_1 = await logBatch(api, project, 1, quick ? 10 : 400, quick ? 2 : 6, relayPid);
  const log_batch_16 = await logBatch(api, project, 16, quick ? 4 : 60, quick ? 2 : 6, relayPid);
  const search_runs = await searchRuns(api, quick ? 1_000 : 10_000, quick ? 5 : 20);
  return { log_batch_1, log_batch_16, search_runs };
}

export function describeMlflow(f: MlflowFigures): string[] {
  const lb = (x: LogBatchFigures) =>
    `mlflow log-batch, ${x.clients} client(s): ${x.mlflow.pts_per_s.toLocaleString("en-US")} pts/s vs native ${x.native.pts_per_s.toLocaleString("en-US")}: ratio ${x.ratio} (target ≥ 0.8) ${x.ratio >= 0.8 ? "ok" : "MISSED"}; CPU per point native ÷ mlflow ${x.cpu_ratio}`;
  return [lb(f.log_batch_1), lb(f.log_batch_16), `mlflow search_runs over ${f.search_runs.runs.toLocaleString("en-US")} runs (1,000 a page): p50 ${f.search_runs.p50_ms} ms, p95 ${f.search_runs.p95_ms} ms by the Python client; the HTTP answer alone p50 ${f.search_runs.http_p50_ms} ms`];
}
