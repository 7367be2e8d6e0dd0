import { Component } from "preact";
import { useMemo, useRef, useState } from "preact/hooks";
import { runColor } from "../lib/colors";
import { fmtValue } from "../lib/format";
import { runHref } from "../lib/links";
import { navigate } from "../lib/router";
import type { Run } from "../lib/types";
import { position, ticks, type Field, type Range } from "./plot-fields";
import { PlotTooltip, useWidth } from "./plot-parts";
import { useFramePointer } from "../lib/use-frame-pointer";

const H = 300;
const L = 58;
const R = 14;
const T = 14;
const B = 42;
// Points keep off the frame: positions map into [EDGE, 1 - EDGE].
const EDGE = 0.03;
const inner = (t: number) => EDGE + (1 - 2 * EDGE) * t;
const outer = (u: number) => (u - EDGE) / (1 - 2 * EDGE);

export type ScatterRect = { x: Range; y: Range };
type Props = {
  runs: Run[];
  x: Field;
  y: Field;
  logX: boolean;
  logY: boolean;
  inside: Uint8Array | null;
  rect: ScatterRect | null;
  onRect: (r: ScatterRect | null) => void;
};

// Categorical values spread a little around their category so runs with the
// same value stay distinguishable; the spread follows the run id, so it is stable.
function jitter(f: Field, id: string): number {
  if (f.kind !== "cat") return 0;
  let h = 7;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  const span = f.cats.length > 1 ? 0.3 / (f.cats.length - 1) : 0.3;
  return (((h >>> 0) % 1000) / 1000 - 0.5) * span;
}

// Scatter plot of two fields: a point per run in its colour; hover for its
// values, click to open it, drag a rectangle to keep only the runs inside.
export function ScatterPlot({ runs, x, y, logX, logY, inside, rect, onRect }: Props) {
  const { ref, width: W } = useWidth<HTMLDivElement>(420);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x0: number; y0: number; moved: boolean } | null>(null);
  const [hover, setHover] = useState<{ run: number; x: number; y: number } | null>(null);
  const pxOf = (t: number) => L + inner(t) * (W - L - R);
  const pyOf = (t: number) => H - B - inner(t) * (H - T - B);
  const tx = (px: number) => outer((px - L) / (W - L - R));
  const ty = (py: number) => outer((H - B - py) / (H - T - B));
  const pts = useMemo(
    () =>
      runs.map((r) => {
        const a = position(x, x.value(r), logX);
        const b = position(y, y.value(r), logY);
        return [a + jitter(x, r.id), b + jitter(y, `${r.id}~`)] as const;
      }),
    [runs, x, y, logX, logY],
  );
  const xy = pts.map(([a, b]) => (Number.isNaN(a) || Number.isNaN(b) ? null : ([pxOf(a), pyOf(b)] as const)));
  const local = (e: PointerEvent) => {
    const r = svg.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top] as const;
  };
  const nearest = (px: number, py: number, max: number) => {
    let best = -1;
    let bestD = max * max;
    xy.forEach((p, i) => {
      if (!p) return;
      const d = (p[0] - px) ** 2 + (p[1] - py) ** 2 + (inside && !inside[i] ? 9 : 0);
      if (d < bestD) (bestD = d), (best = i);
    });
    return best;
  };
  const down = (e: PointerEvent) => {
    const [px, py] = local(e);
    drag.current = { x0: px, y0: py, moved: false };
    svg.current!.setPointerCapture?.(e.pointerId);
    e.preventDefault();
  };
  // Pointer moves arrive faster than frames: handled once per frame.
  const { onMove, pending, flush: flushPointer } = useFramePointer((e) => move(e));
  const move = (e: PointerEvent) => {
    const [px, py] = local(e);
    const d = drag.current;
    if (!d) {
      const i = nearest(px, py, 10);
      return setHover(i < 0 ? null : { run: i, x: px, y: py });
    }
    if (Math.abs(px - d.x0) + Math.abs(py - d.y0) > 4) d.moved = true;
    if (!d.moved) return;
    setHover(null);
    const [a, b] = [tx(d.x0), tx(px)].sort((m, n) => m - n) as [number, number];
    const [c, f] = [ty(d.y0), ty(py)].sort((m, n) => m - n) as [number, number];
    onRect({ x: [a, b], y: [c, f] });
  };
  const up = (e: PointerEvent) => {
    flushPointer();
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    const [px, py] = local(e);
    const i = nearest(px, py, 8);
    if (i >= 0) navigate(runHref(runs[i]!.project_id, runs[i]!.id));
    else if (rect) onRect(null);
  };
  const h = hover ? runs[hover.run] : null;
  return (
    <div class="sc-wrap" ref={ref} onPointerLeave={() => ((pending.current = drag.current ? pending.current : null), setHover(null))}>
      <svg
        ref={svg}
        class="sc-svg"
        width={W}
        height={H}
        data-testid="scatter"
        role="img"
        aria-label={`Scatter plot of ${y.label} against ${x.label}, one point per run; drag a rectangle to filter runs, click a point to open its run`}
        onPointerDown={down}
        onPointerMove={onMove}
        onPointerUp={up}
        onPointerCancel={() => (drag.current = null)}
      >
        <rect class="sc-area" x={L} y={T} width={W - L - R} height={H - T - B} />
        {ticks(x, logX).map((t) => (
          <g>
            <line class="sc-grid" x1={pxOf(t.t)} x2={pxOf(t.t)} y1={T} y2={H - B} />
            <text class="pc-tick" x={pxOf(t.t)} y={H - B + 14} text-anchor="middle">
              {t.label}
            </text>
          </g>
        ))}
        {ticks(y, logY).map((t) => (
          <g>
            <line class="sc-grid" x1={L} x2={W - R} y1={pyOf(t.t)} y2={pyOf(t.t)} />
            <text class="pc-tick" x={L - 5} y={pyOf(t.t) + 3} text-anchor="end">
              {t.label}
            </text>
          </g>
        ))}
        <text class="pc-label" x={L + (W - L - R) / 2} y={H - 6} text-anchor="middle">
          {x.label}
          {logX ? " (log)" : ""}
        </text>
        <text class="pc-label" transform={`translate(12,${T + (H - T - B) / 2}) rotate(-90)`} text-anchor="middle">
          {y.label}
          {logY ? " (log)" : ""}
        </text>
        <Points xy={xy} runs={runs} inside={inside} />
        {h && xy[hover!.run] && <circle class="sc-pt sc-hot" cx={xy[hover!.run]![0]} cy={xy[hover!.run]![1]} r={7} fill={runColor(h.id)} />}
        {rect && (
          <rect
            class="sc-brush"
            data-testid="scatter-brush"
            x={pxOf(rect.x[0])}
            y={pyOf(rect.y[1])}
            width={Math.max(1, pxOf(rect.x[1]) - pxOf(rect.x[0]))}
            height={Math.max(1, pyOf(rect.y[0]) - pyOf(rect.y[1]))}
          />
        )}
      </svg>
      {h && (
        <PlotTooltip x={hover!.x} y={hover!.y} width={W}>
          <strong>
            <span class="swatch" aria-hidden="true" style={{ background: runColor(h.id) }} />
            {h.name}
          </strong>
          <div>
            <span class="muted">{x.label}</span> {fmtValue(x.value(h)) || "—"}
          </div>
          <div>
            <span class="muted">{y.label}</span> {fmtValue(y.value(h)) || "—"}
          </div>
          <div class="muted small">Click to open</div>
        </PlotTooltip>
      )}
    </div>
  );
}

type PointsProps = { xy: (readonly [number, number] | null)[]; runs: Run[]; inside: Uint8Array | null };
class Points extends Component<PointsProps> {
  override shouldComponentUpdate(next: PointsProps) {
    const p = this.props;
    return next.inside !== p.inside || next.runs !== p.runs || next.xy.length !== p.xy.length || next.xy.some((q, i) => q?.[0] !== p.xy[i]?.[0] || q?.[1] !== p.xy[i]?.[1]);
  }
  render({ xy, runs, inside }: PointsProps) {
    return (
      <g>
        {xy.map((p, i) =>
          p ? <circle key={runs[i]!.id} class={`sc-pt${inside && !inside[i] ? " out" : ""}`} cx={p[0].toFixed(1)} cy={p[1].toFixed(1)} r={4} fill={runColor(runs[i]!.id)} data-run={runs[i]!.id} /> : null,
        )}
      </g>
    );
  }
}

// Is a run's point inside the rectangle?
export function inRect(f: { x: Field; y: Field; logX: boolean; logY: boolean }, r: Run, rect: ScatterRect): boolean {
  const a = position(f.x, f.x.value(r), f.logX) + jitter(f.x, r.id);
  const b = position(f.y, f.y.value(r), f.logY) + jitter(f.y, `${r.id}~`);
  return a >= rect.x[0] && a <= rect.x[1] && b >= rect.y[0] && b <= rect.y[1];
}
