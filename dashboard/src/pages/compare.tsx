import type { JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { ChartGrid } from "../components/chart-grid";
import { ConfigDiffTable } from "../components/config-diff-table";
import { RunsPlots } from "../components/runs-plots";
import { Empty, ErrorBox, Loading, StatusBadge } from "../components/states";
import { get } from "../lib/api";
import { runColor } from "../lib/colors";
import { configAt, configKeys } from "../lib/format";
import type { MetricInfo, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { projectHref, projectNameOf, runHref } from "../lib/links";
import { TeamCrumbs } from "../components/team-crumbs";
import { useTitle } from "../lib/title";

export function ComparePage({ project, runIds }: { project: string; runIds: string[] }) {
  const data = useAsync(
    async (s) => {
      const runs = await Promise.all(runIds.map((id) => get<{ run: Run }>(`/runs/${id}`, s).then((r) => r.run)));
      const metrics = await Promise.all(runIds.map((id) => get<{ metrics: MetricInfo[] }>(`/runs/${id}/metrics`, s).then((r) => r.metrics)));
      return { runs, keys: [...new Set(metrics.flat().map((m) => m.key))].sort() };
    },
    [runIds.join()],
  );
  const back = <a href={projectHref(project)}>← Runs</a>;
  useTitle(`Compare ${runIds.length} run${runIds.length === 1 ? "" : "s"}`, projectNameOf(project));
  if (runIds.length === 0)
    return (
      <Empty title="Pick runs to compare">
        <p>Select two or more runs in the {back} table, then press Compare.</p>
      </Empty>
    );
  if (data.error) return <ErrorBox error={data.error} retry={data.reload} />;
  if (!data.data) return <Loading what="Loading runs" />;
  const { runs, keys } = data.data;
  return <CompareView project={project} runs={runs} keys={keys} back={back} />;
}

function CompareView({ project, runs, keys, back }: { project: string; runs: Run[]; keys: string[]; back: JSX.Element }) {
  // The runs inside the plots' brushes (all of them when nothing is brushed).
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const shown = picked ? runs.filter((r) => picked.has(r.id)) : runs;
  const chartRuns = (shown.length ? shown : runs).map((r) => ({ id: r.id, name: r.name, color: runColor(r.id) }));
  // Config keys whose values are not all the same across the runs.
  const differing = useMemo(() => {
    const all = new Set<string>();
    for (const r of runs) configKeys(r.config, "", all);
    return [...all].sort().filter((k) => new Set(runs.map((r) => JSON.stringify(configAt(r.config, k) ?? null))).size > 1);
  }, [runs]);
  const n = runs.length;
  return (
    <section class="page compare-page">
      <TeamCrumbs project={project} here="Compare" />
      <div class="page-head">
        <h1>
          Compare {n} run{n === 1 ? "" : "s"}
        </h1>
      </div>
      <div class="legend" data-testid="legend">
        {shown.map((r) => (
          <a class="legend-item" href={runHref(r.project_id, r.id)}>
            <span class="swatch" style={{ background: runColor(r.id) }} />
            {r.name} <StatusBadge status={r.status} />
          </a>
        ))}
        {shown.length === 0 && <span class="muted">No run is inside the brushes.</span>}
      </div>
      {n >= 2 && (
        <div class="card">
          <h2>Parallel coordinates and scatter</h2>
          <RunsPlots runs={runs} onFilter={setPicked} />
        </div>
      )}
      <div class="card">
        <h2>Config that differs</h2>
        {differing.length === 0 ? (
          <p class="muted">{n === 1 ? "Pick another run to see what differs." : "These runs share the same config."}</p>
        ) : (
          <div class="table-scroll">
            <ConfigDiffTable runs={shown} keys={differing} corner="key" class="grid compact" testid="config-diff" />
          </div>
        )}
      </div>
      <ChartGrid keys={keys} runs={chartRuns} project={project} />
    </section>
  );
}
