import { allocPoints, type Points } from "./codec";

// Points of one series from several chunks → sorted by step, one point per
// step: a repeated step keeps the point of the highest batch seq (a batch
// holds each step once, so seq decides every tie).
export function mergePoints(parts: Points[]): Points {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.n;
  const all = allocPoints(n);
  let at = 0;
  let sorted = true;
  let prev = -1;
  for (const p of parts) {
    all.steps.set(p.steps.subarray(0, p.n), at);
    all.values.set(p.values.subarray(0, p.n), at);
    all.times.set(p.times.subarray(0, p.n), at);
    all.seqs.set(p.seqs.subarray(0, p.n), at);
    if (p.n > 0 && p.steps[0]! <= prev) sorted = false;
    if (p.n > 0) prev = p.steps[p.n - 1]!;
    at += p.n;
  }
  if (sorted) return all;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => all.steps[a]! - all.steps[b]! || all.seqs[a]! - all.seqs[b]!);
  return keepLastPerStep(all, order);
}

// Copies `src` in `order` (sorted by step, then by precedence), keeping of each
// run of equal steps only its last point: the one that wins.
export function keepLastPerStep(src: Points, order: number[]): Points {
  const out = allocPoints(order.length);
  let m = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const next = order[k + 1];
    if (next !== undefined && src.steps[next] === src.steps[i]) continue;
    out.steps[m] = src.steps[i]!;
    out.values[m] = src.values[i]!;
    out.times[m] = src.times[i]!;
    out.seqs[m] = src.seqs[i]!;
    m++;
  }
  out.n = m;
  return out;
}

// A view of points [from, to) as their own Points (shares the arrays' memory).
export function slicePoints(p: Points, from: number, to: number): Points {
  return {
    n: to - from,
    steps: p.steps.subarray(from, to),
    values: p.values.subarray(from, to),
    times: p.times.subarray(from, to),
    seqs: p.seqs.subarray(from, to),
  };
}

// First index whose step is ≥ s (points sorted by step).
export function lowerBound(p: Points, s: number): number {
  let lo = 0;
  let hi = p.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p.steps[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
