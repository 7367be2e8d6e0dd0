import { createContext } from "preact";
import { useContext, useState } from "preact/hooks";
import { get } from "../lib/api";
import { runColor } from "../lib/colors";
import { configAt, fmtNum, fmtValue, num } from "../lib/format";
import { Markdown } from "../lib/markdown";
import type { Block, ChartBlock, RunsTableBlock } from "../lib/report-types";
import type { Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { AddToReport } from "./add-to-report";
import { MetricChart, type ChartRun, type Range } from "./metric-chart";
import { ArtifactView } from "./report-artifact";
import { CompareBlockView } from "./report-compare";
import { StatusBadge } from "./states";
import "../styles/reports.css";

// Set by a member's own report reader: chart blocks then offer "Add to report"
// (copy this panel to another report). The share page leaves it empty.
export const ReportContext = createContext<{ project?: string; canAdd?: boolean }>({});

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

// Run names for a block's run ids; a run that cannot be read (deleted since)
// keeps its id as the name rather than failing the block.
export function useRuns(ids: string[]) {
  return useAsync(
    (s) => Promise.all(ids.map((id) => get<{ run: Run }>(`/runs/${id}`, s).then((r) => r.run, () => null))),
    [ids.join()],
  );
}
export const chartRuns = (ids: string[], runs: (Run | null)[] | undefined): ChartRun[] => ids.map((id, i) => ({ id, name: runs?.[i]?.name ?? id, color: runColor(id) }));

export function Legend({ ids, runs }: { ids: string[]; runs: (Run | null)[] | undefined }) {
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

// A chart panel opens at its saved range (the first buckets request asks for
// exactly that range); its charts share the zoom, and double-click or "Reset
// zoom" shows the full range. "Add to report" copies the panel as it is now.
function ChartBlockView({ block }: { block: ChartBlock }) {
  const ctx = useContext(ReportContext);
  const runs = useRuns(block.runs);
  const [range, setRange] = useState<Range | null>(block.range ?? null);
  if (!runs.data && !runs.error) return <div class="skeleton block-skeleton" />;
  const view = { x: block.x ?? "step", smoothing: block.smoothing ?? 0, log: !!block.log_y };
  const { type: _t, id: _i, range: _r, ...rest } = block;
  return (
    <figure class="report-chart" data-testid="report-chart">
      {(block.title || ctx.canAdd) && (
        <div class="block-head">
          {block.title && <figcaption>{block.title}</figcaption>}
          <div class="spacer" />
          {ctx.project && ctx.canAdd && (
            <span class="no-print">
              <AddToReport project={ctx.project} chart={range ? { ...rest, range } : rest} />
            </span>
          )}
        </div>
      )}
      <Legend ids={block.runs} runs={runs.data} />
      <div class="charts">
        {block.keys.map((k) => (
          <MetricChart key={k} metric={k} runs={chartRuns(block.runs, runs.data)} view={view} zoom={{ range, set: setRange }} />
        ))}
      </div>
    </figure>
  );
}

// A column is config.<path>, summary.<key> (its last value), or, in older
// blocks, a bare summary key or config path.
function cellValue(run: Run, col: string): unknown {
  if (col === "name") return run.name;
  const m = /^(?:summary|metrics)\.(.+)$/.exec(col);
  const s = run.summary?.[m ? m[1]! : col];
  if (s) return num(s.last);
  return configAt(run.config, col.replace(/^config\./, ""));
}

function compare(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function RunsTableView({ block }: { block: RunsTableBlock }) {
  const runs = useRuns(block.runs);
  if (!runs.data) return <div class="skeleton block-skeleton" />;
  const rows = block.runs.map((id, i) => ({ id, run: runs.data![i] }));
  const by = block.order_by?.replace(/^-/, "");
  if (by) {
    const dir = block.order_by!.startsWith("-") ? -1 : 1;
    rows.sort((a, b) => (!a.run || !b.run ? (a.run ? -1 : b.run ? 1 : 0) : compare(cellValue(a.run, by), cellValue(b.run, by)) * dir));
  }
  return (
    <div class="table-wrap report-table-wrap">
      <table class="report-table" data-testid="report-runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            {block.columns.map((c) => (
              <th class="num" title={c}>
                {c.replace(/^(config|summary)\./, "")}
                <span class="col-kind">{c.startsWith("config.") ? "config" : "metric"}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ id, run: r }) =>
            r ? (
              <tr>
                <td>
                  <span class="swatch" style={{ background: runColor(r.id) }} /> {r.name}
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                {block.columns.map((c) => {
                  const v = cellValue(r, c);
                  return <td class="num">{typeof v === "number" ? fmtNum(v) : fmtValue(v)}</td>;
                })}
              </tr>
            ) : (
              <tr>
                <td colSpan={2 + block.columns.length} class="muted">
                  {id} (not available)
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
