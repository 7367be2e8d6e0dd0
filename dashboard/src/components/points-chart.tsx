import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { cssVar } from "../lib/theme";
import type { Usage } from "../lib/types";

const HEIGHT = 180;
const DAY = 86_400;

// Metric points per day from the first of last month to today, as bars; days
// the API leaves out (nothing logged) draw no bar, but keep their place.
export function daysSeries(byDay: Usage["points_by_day"], now = new Date()): [number[], (number | null)[]] {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1) / 1000;
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / 1000;
  const got = new Map(byDay.map((d) => [Date.parse(`${d.day.slice(0, 10)}T00:00:00Z`) / 1000, d.points]));
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (let t = start; t <= end; t += DAY) xs.push(t), ys.push(got.get(t) || null);
  return [xs, ys];
}

export function PointsChart({ byDay }: { byDay: Usage["points_by_day"] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const [xs, ys] = daysSeries(byDay);
    const fg = cssVar("--muted");
    const grid = cssVar("--grid");
    const accent = cssVar("--accent");
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif" };
    const width = () => Math.max(200, el.current!.clientWidth);
    const u = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        // Days are UTC days, as the server counts them.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        // Half a day either side so the first and last bars are not cut in half.
        scales: { x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        series: [{}, { label: "points", stroke: accent, fill: `${accent}66`, width: 1, paths: uPlot.paths.bars!({ size: [0.8, 24] }), points: { show: false } }],
        axes: [axis, { ...axis, size: 60, values: (_u, t) => t.map(compact) }],
        legend: { show: false },
      },
      [xs, ys],
      el.current,
    );
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height: HEIGHT }));
    ro.observe(el.current);
    return () => (ro.disconnect(), u.destroy());
  }, [byDay]);
  const total = byDay.reduce((n, d) => n + d.points, 0);
  return <div ref={el} class="points-chart" role="img" aria-label={`Metric points per day over this and last month; ${total.toLocaleString("en-US")} in all`} data-testid="points-chart" />;
}

function compact(n: number) {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}
