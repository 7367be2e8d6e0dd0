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
export type Built = { data: uPlot.AlignedData; layout: { run: string; line: number; raw?: number; min: number; max: number }[] };

const plotted = (v: number, log: boolean): number | null => (!Number.isFinite(v) || (log && v <= 0) ? null : v);

// One table per run — x, line (last per bucket), min, max — joined on x so
// several runs overlay in one uPlot. x is the step (or time, in seconds, as uPlot's time axis wants).
export function buildData(series: ChartSeries[], opts: { time: boolean; smoothing: number; log: boolean }): Built {
  const tables: uPlot.AlignedData[] = [];
  const layout: Built["layout"] = [];
  let col = 1;
  for (const s of series) {
    const xs = s.points.map((p) => (opts.time ? p.last_x / 1000 : p.last_x));
    const last = s.points.map((p) => plotted(num(p.last), opts.log));
    const min = s.points.map((p) => plotted(num(p.min), opts.log));
    const max = s.points.map((p) => plotted(num(p.max), opts.log));
    const smooth = opts.smoothing > 0;
    const cols = smooth ? [ema(last, opts.smoothing), last, min, max] : [last, min, max];
    tables.push([xs, ...cols] as uPlot.AlignedData);
    layout.push(smooth ? { run: s.run, line: col, raw: col + 1, min: col + 2, max: col + 3 } : { run: s.run, line: col, min: col + 1, max: col + 2 });
    col += cols.length;
  }
  if (tables.length === 0) return { data: [[]], layout };
  const data = tables.length === 1 ? tables[0]! : uPlot.join(tables);
  return { data, layout };
}

// Buckets for the tail of a live run, in proportion to the width the new steps take.
export function tailBuckets(width: number, shownSpan: number, newSpan: number): number {
  if (shownSpan <= 0) return Math.max(1, Math.min(5000, Math.round(width)));
  return Math.max(1, Math.min(5000, Math.ceil((width * newSpan) / (shownSpan + newSpan))));
}
