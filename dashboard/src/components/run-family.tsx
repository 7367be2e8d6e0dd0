import { get, qs } from "../lib/api";
import { fmtDuration } from "../lib/format";
import { parentOf } from "../lib/mlflow-tags";
import type { Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { ErrorBox, StatusBadge } from "./states";
import { runHref } from "../lib/links";

export const CHILDREN_SHOWN = 200;

// The parent of a nested run (MLflow's mlflow.parentRunId), by name when it
// can be read; an id that no longer resolves still shows, unlinked.
export function ParentLink({ run }: { run: Run }) {
  const id = parentOf(run);
  const parent = useAsync((s) => (id ? get<{ run: Run }>(`/runs/${encodeURIComponent(id)}`, s).then((r) => r.run) : Promise.resolve(null)), [id]);
  if (!id) return null;
  if (parent.error) return <span class="muted" data-testid="parent-link">child of <code>{id}</code> (not found)</span>;
  return (
    <span class="muted" data-testid="parent-link">
      child of <a href={runHref(null, id)}>{parent.data?.name ?? id}</a>
    </span>
  );
}

// The runs nested under this one, in its project, oldest first.
export function ChildRuns({ run }: { run: Run }) {
  const children = useAsync(
    (s) =>
      get<{ runs: Run[]; next_cursor: string | null }>(
        `/projects/${encodeURIComponent(run.project_id)}/runs${qs({ filter: `parent_id=${run.id}`, order_by: "created_at", limit: CHILDREN_SHOWN })}`,
        s,
      ),
    [run.id],
  );
  if (children.error) return <ErrorBox error={children.error} retry={children.reload} />;
  if (!children.data || children.data.runs.length === 0) return null;
  const { runs, next_cursor } = children.data;
  return (
    <div class="card" data-testid="child-runs">
      <h2>Nested runs</h2>
      <div class="table-scroll">
        <table class="grid compact">
          <tbody>
            {runs.map((c) => (
              <tr>
                <td>
                  <a href={runHref(c.project_id, c.id)}>{c.name}</a>
                </td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td class="num muted">{fmtDuration(c.duration_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next_cursor && <p class="muted small">The first {CHILDREN_SHOWN} are shown.</p>}
    </div>
  );
}
