import { useState } from "preact/hooks";
import { groupSections } from "../lib/chart-sections";
import { ChartSection } from "./chart-section";
import { Empty } from "./states";
import type { ChartRun, ChartView } from "./metric-chart";

// What a page's charts keep between visits: the view and which sections are
// collapsed. The run and compare pages keep it in this browser; the project
// workspace keeps it on the server, per member (pages/workspace.tsx).
export type GridSettings = ChartView & { collapsed: string[] };
export const DEFAULT_GRID: GridSettings = { x: "step", smoothing: 0, log: false, collapsed: [] };

const VIEW_KEY = "sl-chart-view";
const loadLocal = (): GridSettings => {
  try {
    return { ...DEFAULT_GRID, ...JSON.parse(localStorage.getItem(VIEW_KEY) ?? "{}") };
  } catch {
    return DEFAULT_GRID;
  }
};

export function useLocalGridSettings(): [GridSettings, (patch: Partial<GridSettings>) => void] {
  const [s, set] = useState(loadLocal);
  return [
    s,
    (patch) => {
      const next = { ...s, ...patch };
      localStorage.setItem(VIEW_KEY, JSON.stringify(next));
      set(next);
    },
  ];
}

// The chart controls shared by the run, compare and workspace pages, then the
// metric keys as panels in sections by prefix.
export function ChartGrid(props: {
  keys: string[];
  runs: ChartRun[];
  maxSteps?: Map<string, number>;
  project?: string;
  settings?: [GridSettings, (patch: Partial<GridSettings>) => void];
  eager?: boolean;
  height?: number;
  children?: preact.ComponentChildren;
}) {
  const local = useLocalGridSettings();
  const [view, setView] = props.settings ?? local;
  const { keys } = props;
  const [q, setQ] = useState("");
  const shown = keys.filter((k) => k.toLowerCase().includes(q.toLowerCase()));
  const sections = groupSections(shown);
  const toggle = (name: string) =>
    setView({ collapsed: view.collapsed.includes(name) ? view.collapsed.filter((c) => c !== name) : [...view.collapsed, name] });
  return (
    <div class="chart-grid">
      <div class="toolbar chart-toolbar" role="toolbar" aria-label="Chart options">
        {props.children}
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
        <span class="muted small chart-hint">Drag to zoom a section · double-click to reset · band = min/max per bucket</span>
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
        sections.map((s) => (
          <ChartSection
            key={s.name}
            name={s.name}
            keys={s.keys}
            runs={props.runs}
            view={view}
            collapsed={view.collapsed.includes(s.name)}
            onToggle={() => toggle(s.name)}
            maxSteps={props.maxSteps}
            project={props.project}
            eager={props.eager}
            height={props.height}
          />
        ))
      )}
    </div>
  );
}
