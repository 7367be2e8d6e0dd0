// Raw ingest: N clients, each with its own run, POST pre-built 1,000-point
// batches back to back (one request in flight per client) for a fixed time.
import { init } from "../sdk/index.ts";
import { batchBody, createRun, lossAt, type Api } from "./api.ts";
import { log, percentile } from "./stats.ts";

export const INGEST_KEYS = ["train/loss", "train/acc", "lr", "grad_norm"];
const PER_KEY = 250; // × 4 keys = 1,000 points a batch

export type IngestResult = { clients: number; points: number; seconds: number; ptsPerS: number; p50: number; p95: number; runIds: string[] };

export async function ingest(api: Api, project: string, clients: number, opts: { seconds: number; batchesPerClient: number }): Promise<IngestResult> {
  const runIds = await Promise.all(Array.from({ length: clients }, (_, i) => createRun(api, project, `ingest-${clients}-${i}`)));
  // Bodies are serialized before the clock starts, so the figure is the server's.
  const bodies = runIds.map(() =>
    Array.from({ length: opts.batchesPerClient }, (_, seq) => batchBody(seq, INGEST_KEYS, seq * PER_KEY, PER_KEY, (_k, s) => lossAt(s))),
  );
  log(`ingest: ${clients} client(s), up to ${opts.seconds} s or ${opts.batchesPerClient} batches each`);
  const latencies: number[] = [];
  let points = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
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
  const seconds = (performance.now() - t0) / 1000;
  const result = { clients, points, seconds, ptsPerS: points / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), runIds };
  log(`ingest: ${clients} client(s): ${points} points in ${seconds.toFixed(1)} s = ${Math.round(result.ptsPerS)} pts/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
  return result;
}

// The same through the SDK (log() per step, background batches): the figure a user sees.
export async function sdkIngest(api: Api, project: string, steps: number): Promise<{ points: number; ptsPerS: number }> {
  const run = await init({ project, name: "ingest-sdk", baseUrl: api.url, apiKey: api.key, exitHooks: false, heartbeatSeconds: 0, batch: { maxInFlight: 2 } });
  const t0 = performance.now();
  for (let step = 0; step < steps; step++) run.log({ "train/loss": lossAt(step), "train/acc": step / steps, lr: 0.001, grad_norm: 1 }, { step });
  await run.finish();
  const seconds = (performance.now() - t0) / 1000;
  const { sent, rejected } = run.stats().metrics;
  if (rejected > 0 || run.errors.length > 0) throw new Error(`SDK ingest: ${rejected} points rejected: ${run.errors.map((e) => e.message).join("; ")}`);
  log(`ingest via SDK: ${sent} points in ${seconds.toFixed(1)} s = ${Math.round(sent / seconds)} pts/s`);
  return { points: sent, ptsPerS: sent / seconds };
}
