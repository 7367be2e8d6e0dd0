import { Component } from "preact";
import { useMemo, useRef, useState } from "preact/hooks";
import { runColor } from "../lib/colors";
import { fmtValue } from "../lib/format";
import type { Run } from "../lib/types";
import { buildFields, defaultLog, describeRange, positions, ticks, within, type Field, type Range } from "./plot-fields";
import { activeBrushes, PlotTooltip, useBrushes, useWidth } from "./plot-parts";
import { useFramePointer } from "../lib/use-frame-pointer";
import "../styles/plots.css";

const H = 300;
const TOP = 56;
const BOTTOM = 16;
const SIDE = 58;
const GAP_MIN = 96; // below this the box scrolls sideways instead of squeezing labels
const STEP = 0.05; // keyboard brush step, a fraction of the axis

type Props = {
  runs: Run[];
  fields: Field[];
  logs: Set<string>;
  pos: Float64Array[]; // pos[axis][run], in [0, 1] or NaN
  brushes: Map<string, Range>;
  onBrush: (field: string, range: Range | null) => void;
  inside: Uint8Array | null; // null: every run is inside
};
type Drag = { axis: number; mode: "new" | "move"; anchor: number; start: Range | null; moved: boolean };

// Hand-written SVG parallel coordinates with brushing: one vertical axis per
// field; drag on an axis to brush a range (drag the brush to move it, click
// the axis outside it to clear), arrow keys on a focused axis do the same.
// Lines outside the brushes fade; hovering near a line shows its values.
export function ParallelCoordsPlot({ runs, fields, logs, pos, brushes, onBrush, inside }: Props) {
  const { ref: boxRef, width, el: box } = useWidth<HTMLDivElement>();
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);
  const [hover, setHover] = useState<{ run: number; x: number; y: number } | null>(null);
  const n = fields.length;
  const W = Math.max(width, 2 * SIDE + (n - 1) * GAP_MIN);
  const gap = n > 1 ? (W - 2 * SIDE) / (n - 1) : 0;
  const ax = (i: number) => (n === 1 ? W / 2 : SIDE + i * gap);
  const py = (t: number) => H - BOTTOM - t * (H - TOP - BOTTOM);
  const tAt = (clientY: number) => {
    const r = svg.current!.getBoundingClientRect();
    return Math.min(1, Math.max(0, (H - BOTTOM - (clientY - r.top)) / (H - TOP - BOTTOM)));
  };

  // Hover re-renders must stay cheap: the lines' geometry is kept until it changes.
  const points = useMemo(
    () =>
      runs.map((_, ri) => {
        let s = "";
        for (let a = 0; a < n; a++) {
          const t = pos[a]![ri]!;
          if (!Number.isNaN(t)) s += `${ax(a).toFixed(1)},${py(t).toFixed(1)} `;
        }
        return s;
      }),
    [runs, pos, W, n],
  );

  if (n < 2) return <p class="muted">Pick two or more fields to draw parallel coordinates.</p>;

  const down = (e: PointerEvent, axis: number) => {
    e.preventDefault();
    const t = tAt(e.clientY);
    const b = brushes.get(fields[axis]!.id) ?? null;
    const inBrush = b !== null && t >= b[0] && t <= b[1];
    drag.current = { axis, mode: inBrush ? "move" : "new", anchor: t, start: b, moved: false };
    svg.current!.setPointerCapture?.(e.pointerId);
    setHover(null);
  };
  // Pointer moves arrive faster than frames: handled once per frame.
  const { onMove, pending, flush: flushPointer } = useFramePointer((e) => move(e));
  const move = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return hoverAt(e);
    const t = tAt(e.clientY);
    if (Math.abs(t - d.anchor) > 0.005) d.moved = true;
    if (!d.moved) return;
    const id = fields[d.axis]!.id;
    if (d.mode === "new") onBrush(id, [Math.min(d.anchor, t), Math.max(d.anchor, t)]);
    else {
      const [lo, hi] = d.start!;
      const dt = Math.min(1 - hi, Math.max(-lo, t - d.anchor));
      onBrush(id, [lo + dt, hi + dt]);
    }
  };
  const up = () => {
    flushPointer();
    const d = drag.current;
    drag.current = null;
    // A click on the axis outside its brush clears it; a click inside keeps it.
    if (d && !d.moved && d.mode === "new") onBrush(fields[d.axis]!.id, null);
  };
  const hoverAt = (e: PointerEvent) => {
    const r = svg.current!.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const seg = Math.min(n - 2, Math.max(0, Math.floor((x - SIDE) / gap)));
    const f = Math.min(1, Math.max(0, (x - ax(seg)) / gap));
    let best = -1;
    let bestD = 7;
    for (let ri = 0; ri < runs.length; ri++) {
      const a = pos[seg]![ri]!;
      const b = pos[seg + 1]![ri]!;
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      const dist = Math.abs(py(a + (b - a) * f) - y) + (inside && !inside[ri] ? 3 : 0);
      if (dist < bestD) (bestD = dist), (best = ri);
    }
    setHover(best < 0 ? null : { run: best, x, y });
  };
  const key = (e: KeyboardEvent, axis: number) => {
    const id = fields[axis]!.id;
    const b = brushes.get(id);
    if (e.key === "Escape" || e.key === "Delete" || e.key === "Backspace") {
      if (b) onBrush(id, null);
      return e.preventDefault();
    }
    if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
    e.preventDefault();
    const d = e.key === "ArrowUp" ? STEP : -STEP;
    if (!b) onBrush(id, d > 0 ? [0.5, 1] : [0, 0.5]);
    else if (e.shiftKey) onBrush(id, [b[0], Math.min(1, Math.max(b[0] + STEP, b[1] + d))]);
    else {
      const dt = Math.min(1 - b[1], Math.max(-b[0], d));
      onBrush(id, [b[0] + dt, b[1] + dt]);
    }
  };

  // Labels take the room between axes; when that is tight they alternate rows.
  const stagger = gap < 150;
  const maxChars = Math.max(6, Math.floor(((stagger ? 1.9 : 1) * gap - 8) / 6.6));
  const h = hover ? runs[hover.run] : null;
  return (
    <div class="pc-wrap" onPointerLeave={() => ((pending.current = drag.current ? pending.current : null), setHover(null))}>
      <div class="pc-box" ref={boxRef} onScroll={() => setHover(null)}>
      <svg
        ref={svg}
        class="pc-svg"
        width={W}
        height={H}
        style={{ width: `${W}px`, height: `${H}px` }}
        data-testid="parallel-coords"
        role="group"
        aria-label="Parallel coordinates: one axis per field, one line per run. Focus an axis and use the arrow keys to brush it."
        onPointerMove={onMove}
        onPointerUp={up}
        onPointerCancel={up}
      >
        <Lines points={points} runs={runs} inside={inside} />
        {h && <polyline class="pc-line pc-hot" points={points[hover!.run]} stroke={runColor(h.id)} fill="none" />}
        {fields.map((f, i) => {
          const b = brushes.get(f.id);
          const log = logs.has(f.id);
          const short = f.label.length > maxChars ? `${f.label.slice(0, maxChars - 1)}…` : f.label;
          return (
            <g
              transform={`translate(${ax(i)},0)`}
              class="pc-axis-g"
              tabindex={0}
              role="slider"
              aria-label={`${f.label} axis${log ? " (log)" : ""}: arrow keys brush, Shift+arrows resize, Escape clears`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={b ? Math.round(((b[0] + b[1]) / 2) * 100) : 0}
              aria-valuetext={b ? `brushed ${describeRange(f, b, log)}` : "no brush"}
              data-field={f.id}
              onKeyDown={(e) => key(e, i)}
            >
              <line y1={TOP} y2={H - BOTTOM} class="pc-axis" />
              <text y={stagger && i % 2 ? TOP - 24 : TOP - 10} text-anchor="middle" class="pc-label">
                <title>{`${f.id}${log ? " (log scale)" : ""}`}</title>
                {short}
                {log ? " (log)" : ""}
              </text>
              {ticks(f, log).map((t) => (
                <text x={-5} y={py(t.t) + 3} text-anchor="end" class="pc-tick">
                  {t.label}
                </text>
              ))}
              {b && <rect class="pc-brush" x={-8} width={16} y={py(b[1])} height={Math.max(2, py(b[0]) - py(b[1]))} data-testid="brush" />}
              <rect class="pc-hit" x={-14} width={28} y={TOP - 4} height={H - TOP - BOTTOM + 8} onPointerDown={(e) => down(e, i)} />
            </g>
          );
        })}
      </svg>
      </div>
      {h && (
        <PlotTooltip x={hover!.x - (box?.scrollLeft ?? 0)} y={hover!.y} width={box?.clientWidth ?? W}>
          <strong>
            <span class="swatch" aria-hidden="true" style={{ background: runColor(h.id) }} />
            {h.name}
          </strong>
          {fields.map((f) => (
            <div>
              <span class="muted">{f.label}</span> {fmtValue(f.value(h)) || "—"}
            </div>
          ))}
        </PlotTooltip>
      )}
    </div>
  );
}

// The run lines redraw only when their geometry or the brushes' verdict
// changes, not on every hover.
type LinesProps = { points: string[]; runs: Run[]; inside: Uint8Array | null };
class Lines extends Component<LinesProps> {
  override shouldComponentUpdate(next: LinesProps) {
    const p = this.props;
    return next.inside !== p.inside || next.runs !== p.runs || next.points.length !== p.points.length || next.points.some((s, i) => s !== p.points[i]);
  }
  render({ points, runs, inside }: LinesProps) {
    // One group in a fixed order: a brush step only flips the class of the
    // lines that crossed its edge (moving them between groups cost DOM work).
    return (
      <g>
        {runs.map((r, ri) => (
          <polyline key={r.id} class={`pc-line${inside && !inside[ri] ? " out" : ""}`} points={points[ri]} stroke={runColor(r.id)} fill="none" data-run={r.id} />
        ))}
      </g>
    );
  }
}

// Parallel coordinates of the given config keys and one metric's last value,
// brushable on its own (report blocks). RunsPlots wires brushes to a filter.
export function ParallelCoords({ runs, keys, metrics }: { runs: Run[]; keys: string[]; metrics: string[]; colors?: Map<string, string> }) {
  const fields = useMemo(() => buildFields(runs), [runs]);
  const [metric, setMetric] = useState(metrics[0] ?? "");
  const { brushes, brush } = useBrushes();
  const ids = [...keys.map((k) => `config.${k}`), ...(metric ? [`summary.${metric}`] : [])];
  const axes = ids.map((id) => fields.find((f) => f.id === id)).filter((f): f is Field => !!f);
  const logs = useMemo(() => defaultLog(fields), [fields]);
  const pos = useMemo(() => positions(runs, axes, logs), [runs, ids.join("\n"), logs]);
  const active = activeBrushes(axes, pos, brushes);
  const inside = active.length ? Uint8Array.from(runs, (_, i) => (active.every(([b, p]) => within(p[i]!, b)) ? 1 : 0)) : null;
  return (
    <div class="plots">
      {metrics.length > 1 && (
        <div class="toolbar">
          <label class="check">
            Metric
            <select value={metric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)} aria-label="Metric for parallel coordinates">
              {metrics.map((m) => (
                <option value={m}>{m}</option>
              ))}
            </select>
          </label>
        </div>
      )}
      <ParallelCoordsPlot runs={runs} fields={axes} logs={logs} pos={pos} brushes={brushes} onBrush={brush} inside={inside} />
    </div>
  );
}
