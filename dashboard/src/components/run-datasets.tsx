import { get } from "../lib/api";
import type { RunDataset } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { ErrorBox } from "./states";

const CONTEXT_TAG = "mlflow.data.context";

// Schema arrives as the client's JSON text; shown indented when it parses.
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// The datasets the run used (MLflow's log_input), with where they came from.
export function RunDatasets({ runId }: { runId: string }) {
  const sets = useAsync((s) => get<{ datasets: RunDataset[] }>(`/runs/${runId}/datasets`, s).then((r) => r.datasets), [runId]);
  if (sets.error) return <ErrorBox error={sets.error} retry={sets.reload} />;
  if (!sets.data || sets.data.length === 0) return null;
  return (
    <div class="card" data-testid="datasets">
      <h2>Datasets</h2>
      {sets.data.map((d) => {
        const others = Object.entries(d.tags).filter(([k]) => k !== CONTEXT_TAG);
        return (
          <div class="dataset">
            <div class="dataset-head">
              <strong>{d.name}</strong>
              {d.tags[CONTEXT_TAG] && <span class="badge">{d.tags[CONTEXT_TAG]}</span>}
              <code title="digest">{d.digest}</code>
            </div>
            <div class="muted small wrap">
              {d.source_type}: {sourceText(d.source)}
            </div>
            {others.length > 0 && <div class="muted small">{others.map(([k, v]) => `${k}=${v}`).join(", ")}</div>}
            {d.schema && (
              <details>
                <summary class="muted small">Schema</summary>
                <pre class="code">{pretty(d.schema)}</pre>
              </details>
            )}
          </div>
        );
      })}
    </div>
  );
}

// MLflow sends the source as JSON text ({"uri": "s3://..."}); show the uri or url in it.
function sourceText(source: string): string {
  try {
    const o = JSON.parse(source);
    if (o && typeof o === "object") return String(o.uri ?? o.url ?? o.path ?? source);
  } catch {
    // Not JSON: the source is plain text.
  }
  return source;
}
