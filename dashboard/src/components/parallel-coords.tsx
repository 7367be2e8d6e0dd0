import { useMemo, useState } from "preact/hooks";
import { configAt, fmtNum, fmtValue, num } from "../lib/format";
import type { Run } from "../lib/types";

type Axis = { id: string; label: string; value: (r: Run) => unknown };
const W = 900;
const H = 280;
const PAD = { top: 28, bottom: 24, side: 50 };

// Hand-written SVG parallel coordinates: one vertical axis per config key
// (numeric: linear; text: evenly spaced categories), the chosen metric last;
// each run is a polyline in its legend colour.
export function ParallelCoords({ runs, keys, metrics, colors }: { runs: Run[]; keys: string[]; metrics: string[]; colors: Map<string, string> }) {
  const [metric, setMetric] = useState(metrics[0] ?? "");
  const [agg, setAgg] = useState<"last" | "min" | "max">("last");
  const axes: Axis[] = useMemo(
    () => [
      ...keys.map((k) => ({ id: `config.${k}`, label: k, value: (r: Run) => configAt(r.config, k) })),
      ...(metric ? [{ id: "metric", label: `${metric} (${agg})`, value: (r: Run) => num(r.summary?.[metric]?.[agg] ?? null) }] : []),
    ],
    [keys.join(), metric, agg],
  );
  const scales = axes.map((a) => scaleFor(runs.map(a.value)));
  const x = (i: number) => PAD.side + (axes.length <= 1 ? 0 : (i * (W - 2 * PAD.side)) / (axes.length - 1));
  if (axes.length < 2) return <p class="muted">Parallel coordinates need at least one config key that differs and a metric.</p>;
  return (
    <div class="pcoords">
      <div class="toolbar">
        <label class="check">
          Metric
          <select value={metric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)} aria-label="Metric for parallel coordinates">
            {metrics.map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </label>
        <select value={agg} onChange={(e) => setAgg((e.target as HTMLSelectElement).value as "last")} aria-label="Summary">
          <option value="last">last</option>
          <option value="min">min</option>
          <option value="max">max</option>
        </select>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} class="pc-svg" role="img" aria-label="Parallel coordinates of config values against the chosen metric">
        {runs.map((r) => {
          const pts = axes.map((a, i) => {
            const y = scales[i]!.y(a.value(r));
            return y === null ? null : `${x(i).toFixed(1)},${y.toFixed(1)}`;
          });
          return (
            <polyline class="pc-line" points={pts.filter(Boolean).join(" ")} stroke={colors.get(r.id)} fill="none">
              <title>{r.name}</title>
            </polyline>
          );
        })}
        {axes.map((a, i) => (
          <g transform={`translate(${x(i)},0)`}>
            <line y1={PAD.top} y2={H - PAD.bottom} class="pc-axis" />
            <text y={PAD.top - 10} text-anchor="middle" class="pc-label">
              {a.label}
            </text>
            {scales[i]!.ticks.map((t) => (
              <text x={-5} y={t.y + 3} text-anchor="end" class="pc-tick">
                {t.label}
              </text>
            ))}
          </g>
        ))}
      </svg>
    </div>
  );
}

function scaleFor(values: unknown[]): { y: (v: unknown) => number | null; ticks: { y: number; label: string }[] } {
  const top = PAD.top;
  const bottom = H - PAD.bottom;
  const nums = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (nums.length === values.filter((v) => v !== undefined && v !== null).length && nums.length > 0) {
    let lo = Math.min(...nums);
    let hi = Math.max(...nums);
    if (lo === hi) (lo -= 1), (hi += 1);
    const y = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? bottom - ((v - lo) / (hi - lo)) * (bottom - top) : null);
    return { y, ticks: [lo, (lo + hi) / 2, hi].map((t) => ({ y: y(t)!, label: fmtNum(t) })) };
  }
  const cats = [...new Set(values.filter((v) => v !== undefined && v !== null).map(fmtValue))].sort();
  const step = cats.length > 1 ? (bottom - top) / (cats.length - 1) : 0;
  const pos = new Map(cats.map((c, i) => [c, cats.length > 1 ? bottom - i * step : (top + bottom) / 2]));
  return { y: (v) => (v === undefined || v === null ? null : (pos.get(fmtValue(v)) ?? null)), ticks: cats.slice(0, 12).map((c) => ({ y: pos.get(c)!, label: c.length > 10 ? `${c.slice(0, 9)}…` : c })) };
}
