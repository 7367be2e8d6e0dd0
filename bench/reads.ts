// Read latency: a 1,000-bucket read over one 1,000,000-point metric, and a
// 10-run comparison read of one metric (GET /api/v1/metrics/buckets).
import type { Api } from "./api.ts";
import { log, percentile, timeIt } from "./stats.ts";

type Buckets = { series: { run: string; points: { count: number }[] }[] };

async function bucketsP50(api: Api, runIds: string[], key: string, times: number): Promise<{ p50: number; counted: number }> {
  const q = new URLSearchParams([...runIds.map((r) => ["run", r]), ["key", key], ["buckets", "1000"]]);
  const path = `/api/v1/metrics/buckets?${q}`;
  let counted = 0;
  const samples = await timeIt(async () => {
    const res = await api.call<Buckets>("GET", path);
    counted = res.series.reduce((n, s) => n + s.points.reduce((m, p) => m + p.count, 0), 0);
  }, times);
  return { p50: percentile(samples, 50), counted };
}

export async function bucketRead(api: Api, runId: string, key: string, expectPoints: number): Promise<number> {
  const { p50, counted } = await bucketsP50(api, [runId], key, 30);
  // A fast read that lost points would be a wrong figure.
  if (counted !== expectPoints) throw new Error(`bucket read counted ${counted} points, expected ${expectPoints}`);
  log(`bucket read (1 run, ${expectPoints} points, 1,000 buckets): p50 ${p50.toFixed(1)} ms`);
  return p50;
}

export async function compareRead(api: Api, runIds: string[], key: string): Promise<number> {
  const { p50, counted } = await bucketsP50(api, runIds, key, 30);
  log(`compare read (${runIds.length} runs, ${counted} points, 1,000 buckets): p50 ${p50.toFixed(1)} ms`);
  return p50;
}
