import { get } from "../lib/api";
import { colorOf, configAt, fmtNum, fmtValue } from "../lib/format";
import { Markdown } from "../lib/markdown";
import type { ArtifactBlock, Block, ChartBlock, CompareBlock, RunsTableBlock } from "../lib/report-types";
import type { MetricInfo, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { MetricChart, type ChartRun } from "./metric-chart";
import { StatusBadge } from "./states";

// Renders one report block read-only. The same renderers serve the report
// page and the share page: on the latter lib/api sends the share token, which
// may read exactly the runs and keys the blocks name.
export function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case "markdown":
      return <Markdown text={block.text} />;
    case "chart":
      return <ChartBlockView block={block} />;
    case "compare":
      return <CompareBlockView block={block} />;
    case "runs_table":
      return <RunsTableView block={block} />;
    case "artifact":
      return <ArtifactView block={block} />;
    default:
      return <p class="muted">This block type is not shown here yet.</p>;
  }
}

// Run names and colours for a block's run ids; a run that cannot be read
// (deleted since) keeps its id as the name rather than failing the block.
function useRuns(ids: string[]) {
  return useAsync(
    (s) => Promise.all(ids.map((id) => get<{ run: Run }>(`/runs/${id}`, s).then((r) => r.run, () => null))),
    [ids.join()],
  );
}
const chartRuns = (ids: string[], runs: (Run | null)[] | undefined): ChartRun[] =>
  ids.map((id, i) => ({ id, name: runs?.[i]?.name ?? id, color: colorOf(i) }));

function Legend({ ids, runs }: { ids: string[]; runs: (Run | null)[] | undefined }) {
  return (
    <div class="legend">
      {chartRuns(ids, runs).map((r) => (
        <span class="legend-item">
          <span class="swatch" style={{ background: r.color }} />
          {r.name}
        </span>
      ))}
    </div>
  );
}

function ChartBlockView({ block }: { block: ChartBlock }) {
  const runs = useRuns(block.runs);
  if (!runs.data && !runs.error) return <div class="skeleton block-skeleton" />;
  const view = { x: block.x ?? "step", smoothing: block.smoothing ?? 0, log: !!block.log_y };
  return (
    <figure class="report-chart">
      {block.title && <figcaption>{block.title}</figcaption>}
      <Legend ids={block.runs} runs={runs.data} />
      <div class="charts">
        {block.keys.map((k) => (
          <MetricChart key={k} metric={k} runs={chartRuns(block.runs, runs.data)} view={view} />
        ))}
      </div>
    </figure>
  );
}

function CompareBlockView({ block }: { block: CompareBlock }) {
  const runs = useRuns(block.runs);
  // No keys named: every key the runs logged.
  const keys = useAsync(
    async (s) =>
      block.keys.length
        ? block.keys
        : [...new Set((await Promise.all(block.runs.map((id) => get<{ metrics: MetricInfo[] }>(`/runs/${id}/metrics`, s)))).flatMap((r) => r.metrics.map((m) => m.key)))].sort(),
    [block.keys.join(), block.runs.join()],
  );
  if (!runs.data || !keys.data) return <div class="skeleton block-skeleton" />;
  return (
    <figure class="report-chart">
      <figcaption>Compare {block.runs.length} runs</figcaption>
      <Legend ids={block.runs} runs={runs.data} />
      <div class="charts">
        {keys.data.map((k) => (
          <MetricChart key={k} metric={k} runs={chartRuns(block.runs, runs.data)} view={{ x: "step", smoothing: 0, log: false }} />
        ))}
      </div>
    </figure>
  );
}

// A column is a summary metric (its last value) or a config path ("config.lr" or "lr").
function cell(run: Run, col: string) {
  const s = run.summary?.[col];
  if (s) return fmtNum(s.last);
  return fmtValue(configAt(run.config, col.replace(/^config\./, "")));
}

function RunsTableView({ block }: { block: RunsTableBlock }) {
  const runs = useRuns(block.runs);
  if (!runs.data) return <div class="skeleton block-skeleton" />;
  return (
    <div class="table-wrap">
      <table class="report-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            {block.columns.map((c) => (
              <th>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.data.map((r, i) =>
            r ? (
              <tr>
                <td>{r.name}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                {block.columns.map((c) => (
                  <td class="num">{cell(r, c)}</td>
                ))}
              </tr>
            ) : (
              <tr>
                <td colSpan={2 + block.columns.length} class="muted">
                  {block.runs[i]} (not available)
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function ArtifactView({ block }: { block: ArtifactBlock }) {
  return (
    <div class="report-artifact">
      <span class="muted small">Artifact</span> <code>{block.artifact}</code>
      {block.path && (
        <>
          {" "}
          · <code>{block.path}</code>
        </>
      )}
    </div>
  );
}
