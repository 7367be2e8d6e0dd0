import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { get, qs } from "../lib/api";
import { buildData, tailBuckets, type Built, type ChartSeries } from "../lib/chart-data";
import { axisSize, tickLabels } from "../lib/chart-format";
import { limited } from "../lib/chart-limit";
import { renderReadout } from "../lib/chart-readout";
import { syncOptions } from "../lib/chart-sync";
import { cssVar } from "../lib/theme";
import type { Bucket, BucketsReply } from "../lib/types";
import { AddToReport } from "./add-to-report";
import "../styles/charts.css";

export type ChartRun = { id: string; name: string; color: string };
export type ChartView = { x: "step" | "time"; smoothing: number; log: boolean };
export type Range = [number, number];
// A zoom shared by several charts (a section): the range (in the server's x
// units: steps, or ms for time) and how to change it.
export type Zoom = { range: Range | null; set: (r: Range | null) => void };

const HEIGHT = 200;

// One metric key for one or more runs: line = last value per bucket, min/max
// band (filled and outlined, so a one-point spike shows at full range), drag
// to zoom (exact buckets refetched for the new range, for every chart sharing
// the zoom), double-click to reset. The crosshair and readout follow the
// pointer over any chart of the page. Fetches once it scrolls into view
// (or at once when `eager`); a live run's new steps are fetched as a tail.
export function MetricChart({
  metric,
  runs,
  view,
  maxStep,
  project,
  zoom,
  eager,
  height = HEIGHT,
  initialRange,
  onRange,
}: {
  metric: string;
  runs: ChartRun[];
  view: ChartView;
  maxStep?: number;
  project?: string;
  zoom?: Zoom;
  eager?: boolean;
  height?: number;
  // A report's chart opens at its saved range; onRange hears every zoom (issue 12).
  initialRange?: Range;
  onRange?: (r: Range | null) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plotEl = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [visible, setVisible] = useState(!!eager);
  const [ownRange, setOwnRange] = useState<Range | null>(initialRange ?? null);
  const range = zoom ? zoom.range : ownRange;
  useEffect(() => onRange?.(range), [range?.[0], range?.[1]]);
  const setRange = zoom ? zoom.set : setOwnRange;
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const [series, setSeries] = useState<Map<string, Bucket[]> | null>(null);
  const [error, setError] = useState<string>();
  const [theme, setTheme] = useState(0);
  const fetchedFor = useRef<{ maxStep?: number; width: number }>({ width: 0 });
  const runKey = runs.map((r) => r.id).join(",");

  useEffect(() => {
    const onTheme = () => setTheme((t) => t + 1);
    window.addEventListener("sl:theme", onTheme);
    if (eager) return () => window.removeEventListener("sl:theme", onTheme);
    // Already on screen: fetch now rather than a frame later.
    const r = box.current!.getBoundingClientRect();
    if (r.top < innerHeight + 300 && r.bottom > -300) setVisible(true);
    const io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && (setVisible(true), io.disconnect()), { rootMargin: "300px" });
    io.observe(box.current!);
    return () => (io.disconnect(), window.removeEventListener("sl:theme", onTheme));
  }, []);

  const width = () => Math.max(200, Math.floor(plotEl.current?.clientWidth ?? 600));
  const fetchBuckets = (n: number, start?: number, end?: number, signal?: AbortSignal) =>
    limited(signal, () => get<BucketsReply>(`/metrics/buckets${qs({ run: runs.map((r) => r.id), key: metric, buckets: n, start, end, x: view.x })}`, signal));

  // Full fetch: on first view, on zoom, on a change of x axis or runs.
  useEffect(() => {
    if (!visible || runs.length === 0) return;
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

  // Draw: rebuild uPlot when the data or the look changes.
  useEffect(() => {
    if (!series || !plotEl.current) return;
    const shown = runs.filter((r) => series.has(r.id));
    const chartSeries: ChartSeries[] = shown.map((r) => ({ run: r.id, label: r.name, color: r.color, points: series.get(r.id) ?? [] }));
    const built = buildData(chartSeries, { time: view.x === "time", smoothing: view.smoothing, log: view.log });
    plot.current?.destroy();
    // New data or look: the readout is rewritten on the next pointer move.
    readout.current?.removeAttribute("data-at");
    const u = new uPlot(chartOptions(built, shown, view, height, width(), rangeRef, setRange, () => readout.current && renderReadout(readout.current, u, built, shown, view.x)), built.data, plotEl.current);
    plot.current = u;
    const el = box.current! as HTMLDivElement & { __plot?: uPlot };
    el.__plot = u;
    const last = built.layout.length ? (built.data[built.layout[0]!.line] as (number | null)[]) : [];
    el.dataset.buckets = String(built.data[0].length);
    el.dataset.lastX = String(Math.max(-1, ...[...series.values()].map((p) => p.at(-1)?.last_x ?? -1)));
    el.dataset.last = String(last.filter((v) => v !== null && v !== undefined).at(-1) ?? "");
  }, [series, view.smoothing, view.log, theme]);

  useEffect(() => {
    const ro = new ResizeObserver(() => plot.current && plot.current.width !== width() && plot.current.setSize({ width: width(), height }));
    ro.observe(plotEl.current!);
    return () => (ro.disconnect(), plot.current?.destroy(), (plot.current = null));
  }, []);

  const empty = series && [...series.values()].every((p) => p.length === 0);
  return (
    <div class="chart" ref={box} data-testid="chart" data-key={metric} data-zoomed={range ? `${range[0]}-${range[1]}` : undefined} onDblClick={() => range && setRange(null)}>
      <div class="chart-head">
        <span class="chart-title" title={metric}>
          {metric}
        </span>
        <span class="chart-tools">
          {range && (
            <button class="ghost small" onClick={() => setRange(null)} title="Double-click the chart also resets">
              Reset zoom
            </button>
          )}
          {project && <AddToReport project={project} chart={{ runs: runs.map((r) => r.id), keys: [metric], x: view.x, range: range ?? undefined, smoothing: view.smoothing, log_y: view.log }} />}
        </span>
      </div>
      <div class="chart-readout" ref={readout} data-testid="readout" aria-live="off" />
      <div class="plot" style={{ height: `${height}px` }}>
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

function chartOptions(
  built: Built,
  runs: ChartRun[],
  view: ChartView,
  height: number,
  width: number,
  rangeRef: { current: Range | null },
  setRange: (r: Range | null) => void,
  onCursor: () => void,
): uPlot.Options {
  const fg = cssVar("--muted");
  const grid = cssVar("--grid");
  const time = view.x === "time";
  const s: uPlot.Series[] = [{ label: view.x }];
  const bands: uPlot.Band[] = [];
  const lines = new Set(built.layout.map((l) => l.line));
  // Fewer runs, stronger bands: one run's band must be seen at a glance; ten
  // overlapping ones must not hide the lines.
  const fill = runs.length <= 3 ? "50" : "2a";
  const edge = runs.length <= 3 ? "b0" : "70";
  built.layout.forEach((l, i) => {
    const color = runs[i]!.color;
    // uPlot's default shows dots only when points are sparse, so a metric
    // logged once (MLflow's final accuracy) is a visible dot, not nothing.
    s.push({ label: runs[i]!.name, stroke: color, width: 1.5, points: { size: 5, fill: color } });
    if (l.raw) s.push({ label: `${runs[i]!.name} (raw)`, stroke: `${color}55`, width: 1, points: { show: false } });
    // The band's edges are drawn too: a spike one bucket wide is a thin line
    // to its true height, not a sliver of fill.
    s.push({ label: "min", stroke: `${color}${edge}`, width: 1, points: { show: false } });
    s.push({ label: "max", stroke: `${color}${edge}`, width: 1, points: { show: false } });
    bands.push({ series: [l.max, l.min], fill: `${color}${fill}` });
  });
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif" };
  const zoomed = (): [number, number] | null => {
    const r = rangeRef.current;
    return r ? (time ? [r[0] / 1000, r[1] / 1000] : r) : null;
  };
  return {
    width,
    height,
    scales: {
      // A zoomed chart shows exactly the zoomed range, so every chart of its
      // section lines up under the synced crosshair.
      x: { time, range: (_u, min, max) => zoomed() ?? [min, max] },
      y: { distr: view.log ? 3 : 1 },
    },
    series: s,
    bands,
    axes: [axis, { ...axis, size: axisSize, values: tickLabels }],
    legend: { show: false },
    // Hover points on the lines only (not the band edges): fewer DOM moves per
    // pointer move, times every synced chart.
    cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 5, show: (_u, si) => (lines.has(si) ? hoverPoint() : (undefined as unknown as HTMLElement)) }, sync: syncOptions },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 4) return;
          let a = u.posToVal(u.select.left, "x");
          let b = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          if (time) (a *= 1000), (b *= 1000);
          setRange([Math.max(0, Math.floor(a)), Math.ceil(b)]);
        },
      ],
      setCursor: [onCursor],
      draw: [
        (u) => {
          firstDraw(u.root);
          // Read by the tests: the y range drawn and the y axis' labels and width.
          const el = u.root.closest<HTMLElement>("[data-testid=chart]");
          if (!el) return;
          const ax = u.axes[1] as unknown as { _size: number; _values: string[] | null };
          el.dataset.yMin = String(u.scales.y!.min);
          el.dataset.yMax = String(u.scales.y!.max);
          el.dataset.ySize = String(ax._size);
          el.dataset.yLabels = JSON.stringify(ax._values ?? []);
          el.dataset.drawn = "1";
        },
      ],
    },
  };
}

function hoverPoint() {
  const d = document.createElement("div");
  d.style.cssText = "width:5px;height:5px;margin-left:-2.5px;margin-top:-2.5px";
  return d;
}

// The bench and the tests read when the first chart was drawn on this page load.
function firstDraw(el: HTMLElement | null) {
  const w = window as unknown as { __slFirstChart?: number };
  if (w.__slFirstChart === undefined && el) {
    w.__slFirstChart = performance.now();
    performance.mark("sl:first-chart");
  }
}
