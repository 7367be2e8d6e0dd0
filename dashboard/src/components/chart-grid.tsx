import { useState } from "preact/hooks";
import { Empty } from "./states";
import { MetricChart, type ChartRun, type ChartView } from "./metric-chart";

const VIEW_KEY = "sl-chart-view";
const loadView = (): ChartView => {
  try {
    return { x: "step", smoothing: 0, log: false, ...JSON.parse(localStorage.getItem(VIEW_KEY) ?? "{}") };
  } catch {
    return { x: "step", smoothing: 0, log: false };
  }
};

// The chart controls shared by the run and compare pages, then one chart per key.
export function ChartGrid({ keys, runs, maxSteps }: { keys: string[]; runs: ChartRun[]; maxSteps?: Map<string, number> }) {
  const [view, setViewState] = useState(loadView);
  const [q, setQ] = useState("");
  const setView = (patch: Partial<ChartView>) => {
    const v = { ...view, ...patch };
    localStorage.setItem(VIEW_KEY, JSON.stringify(v));
    setViewState(v);
  };
  const shown = keys.filter((k) => k.toLowerCase().includes(q.toLowerCase()));
  return (
    <div>
      <div class="toolbar" role="toolbar" aria-label="Chart options">
        <input type="search" placeholder="Filter metrics…" aria-label="Filter metrics" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <div class="seg" role="group" aria-label="X axis">
          {(["step", "time"] as const).map((x) => (
            <button class={view.x === x ? "on" : ""} aria-pressed={view.x === x} onClick={() => setView({ x })}>
              {x === "step" ? "Step" : "Wall time"}
            </button>
          ))}
        </div>
        <label class="check" title="Exponential moving average of the line">
          Smoothing
          <input type="range" min={0} max={0.99} step={0.01} value={view.smoothing} onInput={(e) => setView({ smoothing: Number((e.target as HTMLInputElement).value) })} aria-label="Smoothing" />
          <span class="num">{view.smoothing.toFixed(2)}</span>
        </label>
        <label class="check">
          <input type="checkbox" checked={view.log} onChange={(e) => setView({ log: (e.target as HTMLInputElement).checked })} /> Log scale
        </label>
        <span class="muted small">Drag to zoom · double-click to reset · shaded band = min/max per bucket</span>
      </div>
      {keys.length === 0 ? (
        <Empty title="No metrics yet">
          <p>
            Log some from your training loop, e.g. <code>run.log({"{"}"loss": 0.3{"}"})</code>; they appear here within seconds.
          </p>
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No metric matches">
          <p>Clear the filter to see all {keys.length} metrics.</p>
        </Empty>
      ) : (
        <div class="charts">
          {shown.map((k) => (
            <MetricChart key={k} metric={k} runs={runs} view={view} maxStep={maxSteps?.get(k)} />
          ))}
        </div>
      )}
    </div>
  );
}
