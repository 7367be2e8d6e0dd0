import { useMemo } from "preact/hooks";
import { runColor } from "../lib/colors";
import { configAt, configKeys } from "../lib/format";
import type { CompareBlock } from "../lib/report-types";
import type { Run } from "../lib/types";
import { ConfigDiffTable } from "./config-diff-table";
import { MetricChart } from "./metric-chart";
import { ParallelCoords } from "./parallel-coords";
import { chartRuns, Legend, useRuns } from "./report-blocks";

// A run comparison: the config keys whose values differ, parallel
// coordinates over them and the runs' metrics, and charts of the picked keys.
export function CompareBlockView({ block }: { block: CompareBlock }) {
  const res = useRuns(block.runs);
  const runs = useMemo(() => (res.data ?? []).filter((r): r is Run => !!r), [res.data]);
  const differing = useMemo(() => {
    const all = new Set<string>();
    for (const r of runs) configKeys(r.config, "", all);
    return [...all].sort().filter((k) => new Set(runs.map((r) => JSON.stringify(configAt(r.config, k) ?? null))).size > 1);
  }, [runs]);
  const metrics = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.summary ?? {})))].sort(), [runs]);
  const colors = useMemo(() => new Map(runs.map((r) => [r.id, runColor(r.id)])), [runs]);
  if (!res.data) return <div class="skeleton block-skeleton" />;
  return (
    <figure class="report-chart report-compare" data-testid="report-compare">
      <figcaption>Comparing {block.runs.length} runs</figcaption>
      <Legend ids={block.runs} runs={res.data} />
      {differing.length === 0 ? (
        <p class="muted">These runs share the same config.</p>
      ) : (
        <div class="table-wrap report-table-wrap">
          <ConfigDiffTable runs={runs} keys={differing} corner="Config that differs" class="report-table" testid="report-config-diff" />
        </div>
      )}
      <div class="report-pcoords">
        <ParallelCoords runs={runs} keys={differing.slice(0, 12)} metrics={block.keys.length ? block.keys : metrics} colors={colors} />
      </div>
      {block.keys.length > 0 && (
        <div class="charts">
          {block.keys.map((k) => (
            <MetricChart key={k} metric={k} runs={chartRuns(block.runs, res.data)} view={{ x: "step", smoothing: 0, log: false }} />
          ))}
        </div>
      )}
    </figure>
  );
}
