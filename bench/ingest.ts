// Raw ingest: N clients, each with its own run, POST pre-built 1,000-point
// batches back to back (one request in flight per client) for a fixed time.
// Then the same through the SDK (log() per step, its own background batching).
// Each figure comes with the CPU each process spent on it (bench/cpu.ts).
import { init } from "../sdk/index.ts";
import { batchBody, createRun, lossAt, type Api } from "./api.ts";
import { cpuBetween, describeCpu, sample, type CpuFigures } from "./cpu.ts";
import { log, percentile } from "./stats.ts";

export const INGEST_KEYS = ["train/loss", "train/acc", "lr", "grad_norm"];
const PER_KEY = 250; // × 4 keys = 1,000 points a batch

export type IngestResult = { clients: number; points: number; seconds: number; ptsPerS: number; p50: number; p95: number; runIds: string[]; cpu: CpuFigures };

export async function ingest(api: Api, project: string, clients: number, opts: { seconds: number; batchesPerClient: number; relayPid: number }): Promise<IngestResult> {
  const runIds = await Promise.all(Array.from({ length: clients }, (_, i) => createRun(api, project, `ingest-${clients}-${i}`)));
  // Bodies are serialized before the clock starts, so the figure is the server's.
  const bodies = runIds.map(() =>
    Array.from({ length: opts.batchesPerClient }, (_, seq) => batchBody(seq, INGEST_KEYS, seq * PER_KEY, PER_KEY, (_k, s) => lossAt(s))),
  );
  log(`ingest: ${clients} client(s), up to ${opts.seconds} s or ${opts.batchesPerClient} batches each`);
  const latencies: number[] = [];
  let points = 0;
  const before = sample();
  const deadline = before.at + opts.seconds * 1000;
  await Promise.all(
    runIds.map(async (runId, c) => {
      const path = `/api/v1/runs/${runId}/metrics`;
      for (const body of bodies[c]!) {
        if (performance.now() > deadline) break;
        const s = performance.now();
        await api.post(path, body);
        latencies.push(performance.now() - s);
        points += PER_KEY * INGEST_KEYS.length;
      }
    }),
  );
  const after = sample();
  const seconds = (after.at - before.at) / 1000;
  const cpu = cpuBetween(before, after, opts.relayPid, points);
  const result = { clients, points, seconds, ptsPerS: points / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), runIds, cpu };
  log(`ingest: ${clients} client(s): ${points} points in ${seconds.toFixed(1)} s = ${Math.round(result.ptsPerS)} pts/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
  log(describeCpu(`ingest, ${clients} client(s), 1,000-point batches`, cpu));
  return result;
}

export type SdkResult = { clients: number; points: number; ptsPerS: number; batches: number; cpu: CpuFigures };

// N runs in one process, each logging `steps` steps of 4 keys as fast as it
// can: the SDK seals bigger batches (up to 10,000 points) while its sends are
// busy. The figure a user with a fast loop sees.
export async function sdkIngest(api: Api, project: string, clients: number, steps: number, relayPid: number): Promise<SdkResult> {
  const runs = await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      init({ project, name: `ingest-sdk-${clients}-${i}`, baseUrl: api.url, apiKey: api.key, exitHooks: false, heartbeatSeconds: 0 }),
    ),
  );
  const before = sample();
  await Promise.all(
    runs.map(async (run) => {
      // Yield now and then, as a training loop doing real work would, so the sends interleave.
      for (let step = 0; step < steps; step++) {
        run.log({ "train/loss": lossAt(step), "train/acc": step / steps, lr: 0.001, grad_norm: 1 }, { step });
        if (step % 500 === 499) await new Promise((r) => setImmediate(r));
      }
      await run.finish();
    }),
  );
  const after = sample();
  let points = 0;
  let batches = 0;
  for (const run of runs) {
    const { sent, rejected, batches: b } = run.stats().metrics;
    if (rejected > 0 || run.errors.length > 0) throw new Error(`SDK ingest: ${rejected} points rejected: ${run.errors.map((e) => e.message).join("; ")}`);
    points += sent;
    batches += b;
  }
  const seconds = (after.at - before.at) / 1000;
  const cpu = cpuBetween(before, after, relayPid, points);
  log(`ingest via the SDK, ${clients} run(s): ${points} points in ${batches} batches (${Math.round(points / batches)} a batch) in ${seconds.toFixed(1)} s = ${Math.round(points / seconds)} pts/s`);
  log(describeCpu(`SDK ingest, ${clients} run(s)`, cpu));
  return { clients, points, ptsPerS: points / seconds, batches, cpu };
}
