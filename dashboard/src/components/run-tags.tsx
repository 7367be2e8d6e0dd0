import { splitTags } from "../lib/mlflow-tags";
import type { Run } from "../lib/types";

// Long values (a logged model's history is JSON kilobytes long) fold away.
const LONG = 160;

function TagRows({ rows }: { rows: [string, string][] }) {
  return (
    <div class="table-scroll">
      <table class="grid compact kv-tags">
        <tbody>
          {rows.map(([k, v]) => (
            <tr>
              <th>{k}</th>
              <td class="wrap">
                {v.length > LONG ? (
                  <details>
                    <summary>{v.slice(0, 80)}…</summary>
                    <pre class="code">{v}</pre>
                  </details>
                ) : (
                  v
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Key-value tags (MLflow's set_tag); MLflow's own bookkeeping is collapsed.
export function RunTags({ run }: { run: Run }) {
  const { user, system } = splitTags(run);
  if (user.length === 0 && system.length === 0) return null;
  return (
    <div class="card" data-testid="kv-tags">
      <h2>Key-value tags</h2>
      {user.length > 0 ? <TagRows rows={user} /> : <p class="muted">No tags of your own; MLflow's are below.</p>}
      {system.length > 0 && (
        <details class="system-tags" data-testid="system-tags">
          <summary class="muted">
            System tags <span class="count">{system.length}</span>
          </summary>
          <TagRows rows={system} />
        </details>
      )}
    </div>
  );
}
