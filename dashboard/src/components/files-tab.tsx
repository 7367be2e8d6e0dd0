import { get } from "../lib/api";
import { artifactsHref } from "../lib/links";
import { useAsync } from "../lib/use-async";
import { ArtifactFiles } from "./artifact-files";
import type { ArtifactFile, Lineage } from "./artifact-types";
import { ArtifactVersionDetail } from "./artifact-version";
import { CodeBlock } from "./setup-snippet";
import { ErrorBox, Empty, Loading } from "./states";
import "../styles/artifacts.css";

// A run's loose files, then the artifact versions it logged and used
// (GET /runs/{run}/artifacts), each with its files, downloads and previews.
export function FilesTab({ runId }: { runId: string }) {
  const data = useAsync(
    (s) =>
      Promise.all([
        get<{ files: ArtifactFile[] }>(`/runs/${runId}/files`, s).then((r) => r.files),
        get<{ inputs: Lineage[]; outputs: Lineage[] }>(`/runs/${runId}/artifacts`, s),
      ]),
    [runId],
  );
  if (data.error) return <ErrorBox error={data.error} retry={data.reload} />;
  if (!data.data) return <Loading what="Loading files and artifacts" />;
  const [files, { inputs, outputs }] = data.data;
  const projectId = (outputs[0] ?? inputs[0])?.project_id;
  if (files.length === 0 && inputs.length === 0 && outputs.length === 0)
    return (
      <Empty title="No files or artifacts">
        <p>Log a file or folder as a versioned artifact from the run's code, or from a shell:</p>
        <div class="snippets-left">
          <CodeBlock label="Python" testid="files-python" text={`run.log_artifact("checkpoints/", name="model", type="model", aliases=["best"])`} />
          <CodeBlock label="Node.js" testid="files-node" text={`await run.logArtifact("checkpoints/", { name: "model", type: "model", aliases: ["best"] });`} />
          <CodeBlock label="CLI" testid="files-cli" text={`sightline artifact put checkpoints/ --project <project> --name model --type model --alias best`} />
        </div>
      </Empty>
    );
  const group = (title: string, rows: Lineage[], testid: string) =>
    rows.length > 0 && (
      <section class="artifact-group" data-testid={testid} aria-label={title}>
        <h2>
          {title} <span class="count">{rows.length}</span>
        </h2>
        {rows.map((l) => (
          <div class="card">
            <ArtifactVersionDetail project={l.project_id} name={l.artifact} version={`v${l.version}`} />
          </div>
        ))}
      </section>
    );
  return (
    <div class="files-tab">
      {group("Artifacts logged by this run", outputs, "run-outputs")}
      {group("Artifacts used by this run", inputs, "run-inputs")}
      {files.length > 0 && (
        <section class="artifact-group" data-testid="run-files" aria-label="Run files">
          <h2>
            Run files <span class="count">{files.length}</span>
          </h2>
          <ArtifactFiles files={files} label="Run files" />
        </section>
      )}
      {projectId && (
        <p class="muted small">
          Every artifact of the project: <a href={artifactsHref(projectId)}>Artifacts</a>.
        </p>
      )}
    </div>
  );
}
