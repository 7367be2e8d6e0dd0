import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { get, qs } from "../lib/api";
import { buildData, tailBuckets, type ChartSeries } from "../lib/chart-data";
import { fmtNum } from "../lib/format";
import { cssVar } from "../lib/theme";
import type { Bucket, BucketsReply } from "../lib/types";

export type ChartRun = { id: string; name: string; color: string };
export type ChartView = { x: "step" | "time"; smoothing: number; log: boolean };

const HEIGHT = 200;

// One metric key for one or more runs: line = last value per bucket, shaded
// min/max band, drag to zoom (exact buckets refetched for the new range),
// double-click to reset. Fetches only once it scrolls into view; a live run's
// new steps are fetched as a tail and appended (maxStep grows).
export function MetricChart({ metric, runs, view, maxStep, initialRange, onRange }: { metric: string; runs: ChartRun[]; view: ChartView; maxStep?: number; initialRange?: [number, number]; onRange?: (r: [number, number] | null) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const plotEl = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [visible, setVisible] = useState(false);
  // A report's chart opens at its saved range (the first buckets request asks for it); reset goes to the full range.
  const [range, setRange] = useState<[number, number] | null>(initialRange ?? null);
  useEffect(() => onRange?.(range), [range]);
  const [series, setSeries] = useState<Map<string, Bucket[]> | null>(null);
  const [error, setError] = useState<string>();
  const [theme, setTheme] = useState(0);
  const fetchedFor = useRef<{ maxStep?: number; width: number }>({ width: 0 });
  const runKey = runs.map((r) => r.id).join(",");

  useEffect(() => {
    // Already on screen: fetch now rather than a frame later.
    const r = box.current!.getBoundingClientRect();
    if (r.top < innerHeight + 300 && r.bottom > -300) setVisible(true);
    const io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && (setVisible(true), io.disconnect()), { rootMargin: "300px" });
    io.observe(box.current!);
    const onTheme = () => setTheme((t) => t + 1);
    window.addEventListener("sl:theme", onTheme);
    return () => (io.disconnect(), window.removeEventListener("sl:theme", onTheme));
  }, []);

  const width = () => Math.max(200, Math.floor(plotEl.current?.clientWidth ?? 600));
  const fetchBuckets = (n: number, start?: number, end?: number, signal?: AbortSignal) =>
    limited(signal, () => get<BucketsReply>(`/metrics/buckets${qs({ run: runs.map((r) => r.id), key: metric, buckets: n, start, end, x: view.x })}`, signal));

  // Full fetch: on first view, on zoom, on a change of x axis or runs.
  useEffect(() => {
    if (!visible) return;
    const ctl = new AbortController();
    const w = width();
    fetchBuckets(w, range?.[0], range?.[1], ctl.signal).then(
      (r) => {
        fetchedFor.current = { maxStep, width: w };
        setSeries(new Map(r.series.map((s) => [s.run, s.points])));
        setError(undefined);
      },
      (e: Error) => e.name !== "AbortError" && setError(e.message),
    );
    return () => ctl.abort();
  }, [visible, range?.[0], range?.[1], view.x, runKey, metric]);

  // Live tail: only the steps after what is drawn, appended; a full refetch
  // once the appended buckets would double the chart's density.
  useEffect(() => {
    const prev = fetchedFor.current.maxStep;
    if (!series || range || maxStep === undefined || prev === undefined || maxStep <= prev) return;
    const all = [...series.values()];
    const lastX = Math.max(...all.map((p) => p.at(-1)?.x1 ?? -1));
    const firstStep = Math.min(...all.map((p) => p[0]?.x0 ?? 0));
    const total = all.reduce((n, p) => n + p.length, 0);
    const w = fetchedFor.current.width || width();
    const n = tailBuckets(w, prev - (view.x === "step" ? firstStep : 0), maxStep - prev);
    if (total + n > 2 * w) {
      fetchedFor.current.maxStep = undefined;
      fetchBuckets(w).then((r) => {
        fetchedFor.current = { maxStep, width: w };
        setSeries(new Map(r.series.map((s) => [s.run, s.points])));
      });
      return;
    }
    fetchedFor.current.maxStep = maxStep;
    fetchBuckets(n, lastX + 1).then((r) => {
      const next = new Map(series);
      for (const s of r.series) next.set(s.run, [...(next.get(s.run) ?? []), ...s.points.filter((p) => p.x0 > lastX)]);
      setSeries(next);
    }, (e: Error) => setError(e.message));
  }, [maxStep, series]);

  // Draw: rebuild uPlot when the shape changes, else just swap the data.
  useEffect(() => {
    if (!series || !plotEl.current) return;
    const chartSeries: ChartSeries[] = runs.map((r) => ({ run: r.id, label: r.name, color: r.color, points: series.get(r.id) ?? [] }));
    const built = buildData(chartSeries, { time: view.x === "time", smoothing: view.smoothing, log: view.log });
    const fg = cssVar("--muted");
    const grid = cssVar("--grid");
    const s: uPlot.Series[] = [{ label: view.x }];
    const bands: uPlot.Band[] = [];
    built.layout.forEach((l, i) => {
      const color = runs[i]!.color;
      // uPlot's default shows dots only when points are sparse, so a metric
      // logged once (MLflow's final accuracy) is a visible dot, not nothing.
      s.push({ label: runs[i]!.name, stroke: color, width: 1.5, points: { size: 5, fill: color } });
      if (l.raw) s.push({ label: `${runs[i]!.name} (raw)`, stroke: `${color}55`, width: 1, points: { show: false } });
      s.push({ label: "min", stroke: "transparent", width: 0, points: { show: false } });
      s.push({ label: "max", stroke: "transparent", width: 0, points: { show: false } });
      bands.push({ series: [l.max, l.min], fill: `${color}40` });
    });
    plot.current?.destroy();
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif" };
    const u = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: view.x === "time" }, y: { distr: view.log ? 3 : 1 } },
        series: s,
        bands,
        axes: [axis, { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => fmtNum(t)) }],
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 5 } },
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width < 4) return;
              let a = u.posToVal(u.select.left, "x");
              let b = u.posToVal(u.select.left + u.select.width, "x");
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              if (view.x === "time") (a *= 1000), (b *= 1000);
              setRange([Math.max(0, Math.floor(a)), Math.ceil(b)]);
            },
          ],
          setCursor: [(u) => readout.current && (readout.current.textContent = readoutText(u, built.layout, runs, view.x))],
          draw: [() => firstDraw(plotEl.current)],
        },
      },
      built.data,
      plotEl.current,
    );
    plot.current = u;
    const last = built.layout.length ? (built.data[built.layout[0]!.line] as (number | null)[]) : [];
    const el = box.current!;
    el.dataset.buckets = String(built.data[0].length);
    el.dataset.lastX = String(Math.max(-1, ...[...series.values()].map((p) => p.at(-1)?.last_x ?? -1)));
    el.dataset.last = String(last.at(-1) ?? "");
  }, [series, view.smoothing, view.log, theme]);

  useEffect(() => {
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: HEIGHT }));
    ro.observe(plotEl.current!);
    return () => (ro.disconnect(), plot.current?.destroy(), (plot.current = null));
  }, []);

  const empty = series && [...series.values()].every((p) => p.length === 0);
  return (
    <div class="chart" ref={box} data-testid="chart" data-key={metric} onDblClick={() => range && setRange(null)}>
      <div class="chart-head">
        <span class="chart-title" title={metric}>
          {metric}
        </span>
        <span class="readout muted" ref={readout} />
        {range && (
          <button class="ghost small" onClick={() => setRange(null)} title="Double-click the chart also resets">
            Reset zoom
          </button>
        )}
      </div>
      <div class="plot" style={{ height: `${HEIGHT}px` }}>
        <div ref={plotEl} />
        {error ? (
          <p class="plot-overlay form-error">Could not load {metric}: {error}</p>
        ) : !series ? (
          <div class="plot-overlay skeleton" />
        ) : empty ? (
          <p class="plot-overlay muted">No points in this range. Double-click to reset the zoom.</p>
        ) : null}
      </div>
    </div>
  );
}

// A page of 20 charts asks for 20 bucket reads at once; a few at a time, in
// page order, draws the top charts first instead of all of them late.
const MAX_IN_FLIGHT = 3;
let inFlight = 0;
const waiting: (() => void)[] = [];
async function limited<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => waiting.push(r));
  inFlight++;
  try {
    if (signal?.aborted) throw new DOMException("aborted", "AbortError");
    return await fn();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

function readoutText(u: uPlot, layout: { line: number }[], runs: ChartRun[], x: "step" | "time") {
  const i = u.cursor.idx;
  if (i === null || i === undefined) return "";
  const xv = u.data[0][i]!;
  const xs = x === "time" ? new Date(xv * 1000).toLocaleTimeString() : `step ${xv}`;
  const vals = layout.map((l, k) => {
    const v = u.data[l.line]?.[i];
    return v === null || v === undefined ? "" : `${runs.length > 1 ? `${runs[k]!.name} ` : ""}${fmtNum(v)}`;
  });
  return [xs, ...vals.filter(Boolean)].join(" · ");
}

// The bench and the tests read when the first chart was drawn on this page load.
function firstDraw(el: HTMLElement | null) {
  const w = window as unknown as { __slFirstChart?: number };
  if (w.__slFirstChart === undefined && el) {
    w.__slFirstChart = performance.now();
    performance.mark("sl:first-chart");
  }
}
