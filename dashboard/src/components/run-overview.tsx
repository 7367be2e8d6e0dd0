import { useState } from "preact/hooks";
import { useCan } from "../lib/can";
import { configKeys, configAt, fmtDate, fmtDuration, fmtNum, fmtValue } from "../lib/format";
import { runUser, SOURCE_NAME_TAG, SOURCE_TYPE_TAG } from "../lib/mlflow-tags";
import type { MetricInfo, Run } from "../lib/types";
import { Editable } from "./editable";
import { RunDatasets } from "./run-datasets";
import { ChildRuns } from "./run-family";
import { RunTags } from "./run-tags";

export function RunOverview({ run, metrics, patch }: { run: Run; metrics: MetricInfo[]; patch: (b: Partial<Pick<Run, "notes" | "tags">>) => Promise<void> }) {
  const keys = [...configKeys(run.config)].sort();
  const overrides = Object.entries(run.summary_overrides ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const git = run.git ?? {};
  const user = runUser(run);
  const source = run.kv_tags?.[SOURCE_NAME_TAG];
  return (
    <div class="overview">
      <div class="card">
        <h2>Notes</h2>
        <Editable multiline value={run.notes} label="notes" placeholder="Click to add notes: what you tried, what you saw." onSave={(notes) => patch({ notes })} />
        <h2>Tags</h2>
        <TagEditor tags={run.tags} onSave={(tags) => patch({ tags })} />
      </div>
      <div class="card">
        <h2>Run</h2>
        <dl class="kv">
          <dt>Status</dt>
          <dd>
            {run.status}
            {run.exit_code !== null ? ` (exit ${run.exit_code})` : ""}
          </dd>
          <dt>Created</dt>
          <dd>{fmtDate(run.created_at)}</dd>
          <dt>Finished</dt>
          <dd>{fmtDate(run.finished_at) || "—"}</dd>
          <dt>Duration</dt>
          <dd>{fmtDuration(run.duration_ms) || "—"}</dd>
          {user && (
            <>
              <dt>User</dt>
              <dd data-testid="run-user">{user}</dd>
            </>
          )}
          {source && (
            <>
              <dt>Source</dt>
              <dd class="wrap">
                <code>{source}</code> {run.kv_tags?.[SOURCE_TYPE_TAG] && <span class="muted small">{run.kv_tags[SOURCE_TYPE_TAG]}</span>}
              </dd>
            </>
          )}
          <dt>Host</dt>
          <dd>{run.host ?? "—"}</dd>
          <dt>Git</dt>
          <dd>
            {git.commit ? (
              <>
                <code>{String(git.commit).slice(0, 12)}</code> {git.branch && `on ${git.branch}`} {git.dirty ? <span class="badge status-crashed">dirty</span> : null}
                {git.remote && <div class="muted small">{git.remote}</div>}
              </>
            ) : (
              "—"
            )}
          </dd>
        </dl>
      </div>
      <div class="card">
        <h2>Config</h2>
        {keys.length === 0 ? (
          <p class="muted">No config logged. Pass it when you start the run: <code>init(config={"{"}...{"}"})</code>.</p>
        ) : (
          <table class="grid compact">
            <tbody>
              {keys.map((k) => (
                <tr>
                  <th>{k}</th>
                  <td class="num">{fmtValue(configAt(run.config, k))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div class="card">
        <h2>Summary</h2>
        {metrics.length === 0 && overrides.length === 0 && <p class="muted">No metrics yet.</p>}
        {overrides.length > 0 && (
          <table class="grid compact" data-testid="summary-overrides">
            <thead>
              <tr>
                <th>set by the run</th>
                <th class="num">value</th>
              </tr>
            </thead>
            <tbody>
              {overrides.map(([k, v]) => (
                <tr>
                  <th>{k}</th>
                  <td class="num">{fmtValue(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {metrics.length > 0 && (
          <table class="grid compact" data-testid="summary">
            <thead>
              <tr>
                <th>metric</th>
                <th class="num">last</th>
                <th class="num">min</th>
                <th class="num">max</th>
                <th class="num">points</th>
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => (
                <tr>
                  <th>{m.key}</th>
                  <td class="num">{fmtNum(m.last)}</td>
                  <td class="num">{fmtNum(m.min)}</td>
                  <td class="num">{fmtNum(m.max)}</td>
                  <td class="num">{m.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <RunTags run={run} />
      <RunDatasets runId={run.id} />
      <ChildRuns run={run} />
      {run.system && Object.keys(run.system).length > 0 && (
        <div class="card">
          <h2>System</h2>
          <pre class="code">{JSON.stringify(run.system, null, 2)}</pre>
        </div>
      )}
    </div>
  );
}

function TagEditor({ tags, onSave }: { tags: string[]; onSave: (t: string[]) => Promise<void> }) {
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string>();
  const allowed = useCan("run.edit");
  const save = (t: string[]) => onSave(t).then(() => setError(undefined), (e: Error) => setError(e.message));
  if (!allowed)
    return (
      <div class="tags" data-testid="tags-readonly">
        {tags.length ? tags.map((t) => <span class="tag">{t}</span>) : <span class="muted">No tags.</span>}
      </div>
    );
  return (
    <div class="tags">
      {tags.map((t) => (
        <span class="tag">
          {t}
          <button class="x" aria-label={`Remove tag ${t}`} onClick={() => save(tags.filter((x) => x !== t))}>
            ×
          </button>
        </span>
      ))}
      <input
        class="tag-input"
        placeholder="add tag ↵"
        aria-label="Add tag"
        value={draft}
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && draft.trim()) {
            const t = draft.trim();
            setDraft("");
            if (!tags.includes(t)) void save([...tags, t]);
          }
        }}
      />
      {error && <span class="form-error">{error}</span>}
    </div>
  );
}
