import { useState } from "preact/hooks";
import { sectionTitle } from "../lib/chart-sections";
import { MetricChart, type ChartRun, type ChartView, type Range } from "./metric-chart";

// One section of panels (keys sharing a prefix): a header that collapses it
// (a collapsed section draws and fetches nothing) and one zoom shared by its
// charts: drag on any of them and all ask for exact buckets of that range;
// double-click any to reset them all.
export function ChartSection(props: {
  name: string;
  keys: string[];
  runs: ChartRun[];
  view: ChartView;
  collapsed: boolean;
  onToggle: () => void;
  maxSteps?: Map<string, number>;
  project?: string;
  eager?: boolean;
  height?: number;
}) {
  const { name, keys, collapsed } = props;
  const [range, setRange] = useState<Range | null>(null);
  const id = `section-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <section class={`chart-section${collapsed ? " collapsed" : ""}`} data-testid="chart-section" data-section={name} aria-labelledby={`${id}-h`}>
      <h2 class="section-head" id={`${id}-h`}>
        <button class="section-toggle" aria-expanded={!collapsed} aria-controls={id} onClick={props.onToggle}>
          <span class="caret" aria-hidden="true">
            ▸
          </span>
          {sectionTitle(name)}
          <span class="count">{keys.length}</span>
        </button>
        {range && !collapsed && (
          <button class="ghost small" onClick={() => setRange(null)} data-testid="section-reset">
            Reset zoom ({range[0].toLocaleString("en-US")}–{range[1].toLocaleString("en-US")})
          </button>
        )}
      </h2>
      {!collapsed && (
        <div class="charts" id={id}>
          {keys.map((k) => (
            <MetricChart
              key={k}
              metric={k}
              runs={props.runs}
              view={props.view}
              maxStep={props.maxSteps?.get(k)}
              project={props.project}
              zoom={{ range, set: setRange }}
              eager={props.eager}
              height={props.height}
            />
          ))}
        </div>
      )}
    </section>
  );
}
