import uPlot from "uplot";
import { num } from "./format";
import type { Bucket } from "./types";

// W&B-style debiased EMA over the line's values; gaps (NaN) are carried over,
// never averaged in, so one NaN does not poison the rest of the curve.
export function ema(values: (number | null)[], alpha: number): (number | null)[] {
  if (alpha <= 0) return values;
  let acc = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    acc = acc * alpha + v * (1 - alpha);
    n++;
    return acc / (1 - alpha ** n);
  });
}

export type ChartSeries = { run: string; label: string; color: string; points: Bucket[] };
// `perRun` keeps each run's own x and line before the join, for the hover
// readout (after the join most x's belong to one run only).
export type Built = {
  data: uPlot.AlignedData;
  layout: { run: string; line: number; raw?: number; min: number; max: number }[];
  perRun: { xs: number[]; line: (number | null)[] }[];
};

const plotted = (v: number, log: boolean): number | null => (!Number.isFinite(v) || (log && v <= 0) ? null : v);

// One table per run — x, line (last per bucket), min, max — joined on x so
// several runs overlay in one uPlot. x is the step (or time, in seconds, as uPlot's time axis wants).
export function buildData(series: ChartSeries[], opts: { time: boolean; smoothing: number; log: boolean }): Built {
  const tables: uPlot.AlignedData[] = [];
  const layout: Built["layout"] = [];
  const perRun: Built["perRun"] = [];
  let col = 1;
  for (const s of series) {
    const xs = s.points.map((p) => (opts.time ? p.last_x / 1000 : p.last_x));
    const last = s.points.map((p) => plotted(num(p.last), opts.log));
    const min = s.points.map((p) => plotted(num(p.min), opts.log));
    const max = s.points.map((p) => plotted(num(p.max), opts.log));
    const smooth = opts.smoothing > 0;
    const cols = smooth ? [ema(last, opts.smoothing), last, min, max] : [last, min, max];
    tables.push([xs, ...cols] as uPlot.AlignedData);
    perRun.push({ xs, line: cols[0]! });
    layout.push(smooth ? { run: s.run, line: col, raw: col + 1, min: col + 2, max: col + 3 } : { run: s.run, line: col, min: col + 1, max: col + 2 });
    col += cols.length;
  }
  if (tables.length === 0) return { data: [[]], layout, perRun };
  const data = tables.length === 1 ? tables[0]! : uPlot.join(tables);
  return { data, layout, perRun };
}

// The run's drawn value nearest to x (its bucket's last value, smoothed if the
// line is), or null when the run has nothing within `maxDist` of x.
export function valueAt(xs: number[], line: (number | null)[], x: number, maxDist = Infinity): { x: number; v: number } | null {
  if (xs.length === 0) return null;
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  // lo: first x ≥ the cursor; the one before may be nearer.
  const near = lo > 0 && Math.abs(xs[lo - 1]! - x) <= Math.abs(xs[lo]! - x) ? lo - 1 : lo;
  for (const i of [near, near - 1, near + 1]) {
    const v = line[i];
    if (i >= 0 && i < xs.length && v !== null && v !== undefined && Math.abs(xs[i]! - x) <= maxDist) return { x: xs[i]!, v };
  }
  return null;
}

// Buckets for the tail of a live run, in proportion to the width the new steps take.
export function tailBuckets(width: number, shownSpan: number, newSpan: number): number {
  if (shownSpan <= 0) return Math.max(1, Math.min(5000, Math.round(width)));
  return Math.max(1, Math.min(5000, Math.ceil((width * newSpan) / (shownSpan + newSpan))));
}
