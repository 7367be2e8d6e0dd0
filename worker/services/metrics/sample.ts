import type { Points } from "./codec";

export type Sampled = { steps: number[]; values: number[]; times: number[] };

// Picks at most about `max` points of a series' step range [lo, hi] for a
// chart (MLflow's get-history-bulk-interval). MLflow takes evenly spaced
// steps, which hides spikes between them (mlflow#11660). Here, when the range
// holds more than `max` points, it is cut into max/2 equal step buckets and
// each keeps its lowest and highest value (and its first NaN, if any), plus
// the range's first and last points: every extreme is shown, and the series'
// shape at the chosen resolution is exact. Points stream in step order, so
// memory stays bounded by the buckets, not the series.
export async function samplePoints(points: AsyncIterable<Points>, lo: number, hi: number, max: number): Promise<Sampled> {
  // All points, until there are more than `max`.
  let kept: Sampled | null = { steps: [], values: [], times: [] };
  const n = Math.max(1, Math.floor(max / 2));
  const span = hi - lo + 1;
  const minAt = new Int32Array(n).fill(-1);
  const maxAt = new Int32Array(n).fill(-1);
  const nanAt = new Int32Array(n).fill(-1);
  // Candidate points, referenced by index from the bucket slots.
  const cand: Sampled = { steps: [], values: [], times: [] };
  let first = -1;
  let last: [number, number, number] | null = null;
  const push = (s: number, v: number, t: number) => (cand.steps.push(s), cand.values.push(v), cand.times.push(t), cand.steps.length - 1);
  for await (const p of points) {
    for (let i = 0; i < p.n; i++) {
      const s = p.steps[i]!;
      const v = p.values[i]!;
      const t = p.times[i]!;
      if (kept) {
        if (kept.steps.length < max) {
          kept.steps.push(s), kept.values.push(v), kept.times.push(t);
        } else kept = null;
      }
      if (first < 0) first = push(s, v, t);
      last = [s, v, t];
      const b = Math.min(n - 1, Math.floor(((s - lo) * n) / span));
      if (v !== v) {
        if (nanAt[b]! < 0) nanAt[b] = push(s, v, t);
        continue;
      }
      if (minAt[b]! < 0 || v < cand.values[minAt[b]!]!) minAt[b] = push(s, v, t);
      if (maxAt[b]! < 0 || v > cand.values[maxAt[b]!]!) maxAt[b] = push(s, v, t);
    }
    // Candidates that lost their slot are garbage; compact now and then.
    if (cand.steps.length > 8 * n + 64) compact();
  }
  if (kept) return kept;
  const picked = new Set<number>([first]);
  for (let b = 0; b < n; b++) for (const at of [minAt[b]!, maxAt[b]!, nanAt[b]!]) if (at >= 0) picked.add(at);
  const out: Sampled = { steps: [], values: [], times: [] };
  const order = [...picked].sort((a, b) => cand.steps[a]! - cand.steps[b]!);
  for (const at of order) out.steps.push(cand.steps[at]!), out.values.push(cand.values[at]!), out.times.push(cand.times[at]!);
  if (last && out.steps[out.steps.length - 1] !== last[0]) out.steps.push(last[0]), out.values.push(last[1]), out.times.push(last[2]);
  return out;

  function compact() {
    const live = new Map<number, number>();
    const next: Sampled = { steps: [], values: [], times: [] };
    const move = (at: number) => {
      if (at < 0) return at;
      let to = live.get(at);
      if (to === undefined) {
        to = next.steps.length;
        next.steps.push(cand.steps[at]!), next.values.push(cand.values[at]!), next.times.push(cand.times[at]!);
        live.set(at, to);
      }
      return to;
    };
    first = move(first);
    for (let b = 0; b < n; b++) {
      minAt[b] = move(minAt[b]!);
      maxAt[b] = move(maxAt[b]!);
      nanAt[b] = move(nanAt[b]!);
    }
    cand.steps = next.steps;
    cand.values = next.values;
    cand.times = next.times;
  }
}
