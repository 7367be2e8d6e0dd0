import { useState } from "preact/hooks";
import { get } from "../lib/api";
import { fmtDate } from "../lib/format";
import { useAsync } from "../lib/use-async";
import type { Artifact, ArtifactVersion } from "./artifact-types";
import { fmtBytes } from "./artifact-types";
import { Aliases, ArtifactVersionDetail } from "./artifact-version";
import { ErrorBox, Loading } from "./states";

const enc = encodeURIComponent;

// One artifact on the project's Artifacts page: its versions (newest first)
// with aliases and sizes; the chosen one (latest at first) shows who made and
// used it and its files.
export function ArtifactCard({ project, artifact }: { project: string; artifact: Artifact }) {
  const versions = useAsync(
    (s) => get<{ versions: ArtifactVersion[] }>(`/projects/${enc(project)}/artifacts/${enc(artifact.name)}`, s).then((r) => r.versions.filter((v) => v.version !== null)),
    [project, artifact.name],
  );
  const [chosen, setChosen] = useState<number | null>(null);
  const vs = versions.data;
  const current = chosen ?? vs?.[0]?.version ?? null;
  return (
    <article class="card artifact-card" data-testid="artifact-card" data-artifact={artifact.name} aria-labelledby={`art-${artifact.id}`}>
      <header class="artifact-card-head">
        <h2 id={`art-${artifact.id}`}>{artifact.name}</h2>
        <span class="badge">{artifact.type}</span>
        <span class="muted small">
          {vs ? `${vs.length} ${vs.length === 1 ? "version" : "versions"}` : ""} · updated {fmtDate(artifact.updated_at)}
        </span>
      </header>
      {artifact.description && <p class="muted">{artifact.description}</p>}
      {versions.error ? (
        <ErrorBox error={versions.error} retry={versions.reload} />
      ) : !vs ? (
        <Loading what="Loading versions" />
      ) : (
        <div class="artifact-body">
          <div class="table-scroll">
            <table class="grid compact artifact-versions" aria-label={`Versions of ${artifact.name}`}>
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Aliases</th>
                  <th class="num">Size</th>
                  <th class="num">Files</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {vs.map((v) => (
                  <tr class={v.version === current ? "on" : ""} data-version={v.version!}>
                    <td>
                      <button class="link" aria-pressed={v.version === current} aria-label={`Show ${artifact.name}:v${v.version}`} onClick={() => setChosen(v.version)}>
                        v{v.version}
                      </button>
                    </td>
                    <td class="wrap">
                      <Aliases aliases={v.aliases} />
                    </td>
                    <td class="num">{fmtBytes(v.size)}</td>
                    <td class="num">{v.file_count}</td>
                    <td class="muted">{fmtDate(v.committed_at ?? v.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {current !== null && <ArtifactVersionDetail key={current} project={project} name={artifact.name} version={`v${current}`} onChange={versions.reload} />}
        </div>
      )}
    </article>
  );
}
