import type { JSX } from "preact";
import { useMemo } from "preact/hooks";
import { ChartGrid } from "../components/chart-grid";
import { ParallelCoords } from "../components/parallel-coords";
import { Empty, ErrorBox, Loading, StatusBadge } from "../components/states";
import { get } from "../lib/api";
import { colorOf, configAt, configKeys, fmtValue } from "../lib/format";
import type { MetricInfo, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { projectHref, runHref } from "../lib/links";

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

function CompareView({ runs, keys, back }: { project: string; runs: Run[]; keys: string[]; back: JSX.Element }) {
  const colors = useMemo(() => new Map(runs.map((r, i) => [r.id, colorOf(i)])), [runs]);
  const chartRuns = runs.map((r) => ({ id: r.id, name: r.name, color: colors.get(r.id)! }));
  // Config keys whose values are not all the same across the runs.
  const differing = useMemo(() => {
    const all = new Set<string>();
    for (const r of runs) configKeys(r.config, "", all);
    return [...all].sort().filter((k) => new Set(runs.map((r) => JSON.stringify(configAt(r.config, k) ?? null))).size > 1);
  }, [runs]);
  const metricKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.summary ?? {})))].sort(), [runs]);
  return (
    <section class="page compare-page">
      <nav class="crumbs">{back}</nav>
      <div class="page-head">
        <h1>Compare {runs.length} runs</h1>
      </div>
      <div class="legend" data-testid="legend">
        {runs.map((r) => (
          <a class="legend-item" href={runHref(r.project_id, r.id)}>
            <span class="swatch" style={{ background: colors.get(r.id) }} />
            {r.name} <StatusBadge status={r.status} />
          </a>
        ))}
      </div>
      <div class="card">
        <h2>Config that differs</h2>
        {differing.length === 0 ? (
          <p class="muted">These runs share the same config.</p>
        ) : (
          <div class="table-scroll">
            <table class="grid compact" data-testid="config-diff">
              <thead>
                <tr>
                  <th>key</th>
                  {runs.map((r) => (
                    <th style={{ color: colors.get(r.id) }}>{r.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {differing.map((k) => (
                  <tr>
                    <th>{k}</th>
                    {runs.map((r) => (
                      <td class="num">{fmtValue(configAt(r.config, k))}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div class="card">
        <h2>Parallel coordinates</h2>
        <ParallelCoords runs={runs} keys={differing.slice(0, 12)} metrics={metricKeys} colors={colors} />
      </div>
      <ChartGrid keys={keys} runs={chartRuns} />
    </section>
  );
}
