import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Run } from "../lib/types";
import { ParallelCoordsPlot } from "./parallel-coords";
import { buildFields, defaultAxes, defaultLog, positions, within } from "./plot-fields";
import { activeBrushes, FieldPicker, useBrushes } from "./plot-parts";
import { inRect, ScatterPlot, type ScatterRect } from "./scatter-plot";
import "../styles/plots.css";

// Parallel coordinates with brushing and a scatter plot of any two
// config/summary fields, over a set of runs. A brush narrows the runs:
// onFilter(ids) with the runs inside every brush, or null when no brush is set.
// Contract: the runs page mounts it above its table and shows only `ids`.
export type RunsPlotsProps = {
  runs: Run[];
  onFilter: (ids: Set<string> | null) => void;
};

type Saved = { axes?: string[]; logs?: string[]; x?: string; y?: string };
const storeKey = (runs: Run[]) => `sl-plots:${runs[0]?.project_id ?? ""}`;
function load(runs: Run[]): Saved {
  try {
    return JSON.parse(localStorage.getItem(storeKey(runs)) ?? "{}") as Saved;
  } catch {
    return {};
  }
}

export function RunsPlots({ runs, onFilter }: RunsPlotsProps) {
  const fields = useMemo(() => buildFields(runs), [runs]);
  const byId = useMemo(() => new Map(fields.map((f) => [f.id, f])), [fields]);
  const [saved, setSaved] = useState<Saved>(() => load(runs));
  const save = (patch: Saved) => {
    const next = { ...saved, ...patch };
    setSaved(next);
    try {
      localStorage.setItem(storeKey(runs), JSON.stringify(next));
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  };
  const { brushes, brush, setBrushes } = useBrushes();
  const [rect, setRect] = useState<ScatterRect | null>(null);

  const axisIds = (saved.axes ?? defaultAxes(fields)).filter((id) => byId.has(id));
  const axes = axisIds.map((id) => byId.get(id)!);
  const logs = useMemo(() => (saved.logs ? new Set(saved.logs) : defaultLog(fields)), [saved.logs, fields]);
  const numeric = fields.filter((f) => f.kind === "num");
  const xId = saved.x && byId.has(saved.x) ? saved.x : (axes.find((f) => f.lrLike) ?? axes.find((f) => f.source === "config" && f.kind === "num") ?? axes[0] ?? fields[0])?.id;
  const yId = saved.y && byId.has(saved.y) ? saved.y : (axes.find((f) => f.source === "summary") ?? numeric.find((f) => f.id !== xId) ?? fields[1])?.id;
  const sx = xId ? byId.get(xId) : undefined;
  const sy = yId ? byId.get(yId) : undefined;

  const setLog = (id: string, on: boolean) => {
    const next = new Set(logs);
    if (on) next.add(id);
    else next.delete(id);
    save({ logs: [...next] });
    // A brush is kept in axis units, which a new scale changes: drop it.
    if (brushes.has(id)) brush(id, null);
    if (id === xId || id === yId) setRect(null);
  };
  const setAxes = (ids: string[]) => {
    save({ axes: ids });
    setBrushes((old) => new Map([...old].filter(([id]) => ids.includes(id))));
  };

  const pos = useMemo(() => positions(runs, axes, logs), [runs, axisIds.join("\n"), logs]);
  const inside = useMemo(() => {
    const active = activeBrushes(axes, pos, brushes);
    if (active.length === 0 && !rect) return null;
    const out = new Uint8Array(runs.length);
    const scat = sx && sy && rect ? { x: sx, y: sy, logX: logs.has(sx.id), logY: logs.has(sy.id) } : null;
    runs.forEach((r, i) => (out[i] = active.every(([b, p]) => within(p[i]!, b)) && (!scat || inRect(scat, r, rect!)) ? 1 : 0));
    return out;
  }, [pos, brushes, rect, runs, sx, sy, logs]);

  // Tell the page which runs are inside, only when that changes.
  const sig = inside ? runs.filter((_, i) => inside[i]).map((r) => r.id).join(",") : null;
  const report = useRef(onFilter);
  report.current = onFilter;
  // While a brush is dragged the plots redraw every frame; the page's table
  // follows once the pointer rests for a moment (a table per frame is too slow).
  useEffect(() => {
    const t = setTimeout(() => report.current(sig === null ? null : new Set(sig ? sig.split(",") : [])), 60);
    return () => clearTimeout(t);
  }, [sig]);

  if (runs.length === 0 || fields.length === 0) return null;
  const count = inside ? inside.reduce((a, b) => a + b, 0) : runs.length;
  const options = fields.map((f) => <option value={f.id}>{f.id}</option>);
  return (
    <div class="plots" data-testid="runs-plots">
      <div class="toolbar plots-bar">
        <FieldPicker fields={fields} chosen={axisIds} logs={logs} onChosen={setAxes} onLog={setLog} />
        <span class="muted small" data-testid="plots-count" aria-live="polite">
          {inside ? `${count} of ${runs.length} run${runs.length === 1 ? "" : "s"} inside the brushes` : "Drag on an axis or the scatter plot to filter runs"}
        </span>
        {inside && (
          <button
            type="button"
            onClick={() => {
              setBrushes(new Map());
              setRect(null);
            }}
          >
            Clear brushes
          </button>
        )}
      </div>
      <div class="plots-grid">
        <div class="plots-cell">
          <ParallelCoordsPlot runs={runs} fields={axes} logs={logs} pos={pos} brushes={brushes} onBrush={brush} inside={inside} />
        </div>
        <div class="plots-cell">
          <div class="toolbar plots-xy">
            <label class="check">
              x
              <select aria-label="Scatter x field" value={xId} onChange={(e) => (save({ x: (e.target as HTMLSelectElement).value }), setRect(null))}>
                {options}
              </select>
            </label>
            {sx?.logOk && (
              <label class="check">
                <input type="checkbox" aria-label="Log x" checked={logs.has(sx.id)} onChange={(e) => setLog(sx.id, (e.target as HTMLInputElement).checked)} />
                log
              </label>
            )}
            <label class="check">
              y
              <select aria-label="Scatter y field" value={yId} onChange={(e) => (save({ y: (e.target as HTMLSelectElement).value }), setRect(null))}>
                {options}
              </select>
            </label>
            {sy?.logOk && (
              <label class="check">
                <input type="checkbox" aria-label="Log y" checked={logs.has(sy.id)} onChange={(e) => setLog(sy.id, (e.target as HTMLInputElement).checked)} />
                log
              </label>
            )}
          </div>
          {sx && sy ? (
            <ScatterPlot runs={runs} x={sx} y={sy} logX={logs.has(sx.id)} logY={logs.has(sy.id)} inside={inside} rect={rect} onRect={setRect} />
          ) : (
            <p class="muted">Log config or metrics to plot them.</p>
          )}
        </div>
      </div>
    </div>
  );
}
