import { get } from "../lib/api";
import { fmtDate } from "../lib/format";
import { runHref } from "../lib/links";
import { useAsync } from "../lib/use-async";
import { AliasEditor } from "./artifact-aliases";
import { ArtifactFiles } from "./artifact-files";
import type { RunRef, VersionDetail } from "./artifact-types";
import { fmtBytes } from "./artifact-types";
import { ErrorBox, Loading } from "./states";

const enc = encodeURIComponent;

export const loadVersion = (project: string, name: string, version: string, signal: AbortSignal) =>
  get<VersionDetail>(`/projects/${enc(project)}/artifacts/${enc(name)}/versions/${enc(version)}`, signal);

export function Aliases({ aliases }: { aliases: string[] }) {
  return (
    <>
      {aliases.map((a) => (
        <span class="badge alias" data-testid="alias">
          {a}
        </span>
      ))}
    </>
  );
}

export function RunLinks({ runs, none }: { runs: RunRef[]; none: string }) {
  if (runs.length === 0) return <span class="muted">{none}</span>;
  return (
    <span class="run-links">
      {runs.map((r, i) => (
        <>
          {i > 0 && ", "}
          <a href={runHref(r.project_id, r.id)}>{r.name || r.id}</a>
        </>
      ))}
    </span>
  );
}

// One version: facts, the runs that made and used it, and its files.
export function ArtifactVersionDetail({ project, name, version, onChange }: { project: string; name: string; version: string; onChange?: () => void }) {
  const d = useAsync((s) => loadVersion(project, name, version, s), [project, name, version]);
  if (d.error) return <ErrorBox error={d.error} retry={d.reload} />;
  if (!d.data) return <Loading what={`Loading ${name}:${version}`} />;
  const { artifact, version: v, files, produced_by, used_by } = d.data;
  return (
    <div class="artifact-version" data-testid="artifact-version" data-artifact={artifact.name} data-version={v.version ?? ""}>
      <h3 class="artifact-title">
        <span>
          {artifact.name}:v{v.version}
        </span>
        <span class="badge">{artifact.type}</span>
      </h3>
      {v.version !== null && (
        <AliasEditor project={project} name={artifact.name} version={v.version} aliases={v.aliases} onChange={() => (d.reload(), onChange?.())} />
      )}
      <dl class="kv artifact-facts">
        <dt>Size</dt>
        <dd>
          {fmtBytes(v.size)} in {v.file_count} {v.file_count === 1 ? "file" : "files"}
        </dd>
        <dt>Created</dt>
        <dd>{fmtDate(v.committed_at ?? v.created_at)}</dd>
        <dt>Logged by</dt>
        <dd data-testid="produced-by">
          <RunLinks runs={produced_by ? [produced_by] : []} none="no run (uploaded from the CLI or API)" />
        </dd>
        <dt>Used by</dt>
        <dd data-testid="used-by">
          <RunLinks runs={used_by} none="no run yet" />
        </dd>
        {v.description && (
          <>
            <dt>Description</dt>
            <dd class="wrap">{v.description}</dd>
          </>
        )}
      </dl>
      <ArtifactFiles files={files} label={`Files of ${artifact.name}:v${v.version}`} />
    </div>
  );
}
