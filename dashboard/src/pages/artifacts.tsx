import { useState } from "preact/hooks";
import { ArtifactCard } from "../components/artifact-card";
import type { Artifact } from "../components/artifact-types";
import { CodeBlock } from "../components/setup-snippet";
import { Empty, ErrorBox, Loading } from "../components/states";
import { TeamCrumbs } from "../components/team-crumbs";
import { get } from "../lib/api";
import type { Project } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { useTitle } from "../lib/title";
import "../styles/artifacts.css";

const enc = encodeURIComponent;

// A project's artifacts: names, versions, aliases, sizes, producing and using
// runs, and per version its files with downloads (issue 13, defect 1).
export function ArtifactsPage({ project }: { project: string }) {
  const info = useAsync((s) => get<{ project: Project }>(`/projects/${enc(project)}`, s).then((r) => r.project), [project]);
  const list = useAsync((s) => get<{ artifacts: Artifact[] }>(`/projects/${enc(project)}/artifacts`, s).then((r) => r.artifacts), [project]);
  const [q, setQ] = useState("");
  const name = info.data?.name ?? project;
  useTitle("Artifacts", info.data?.name);
  const shown = (list.data ?? []).filter((a) => !q || a.name.toLowerCase().includes(q.toLowerCase()) || a.type.includes(q.toLowerCase()));
  const types = [...new Set((list.data ?? []).map((a) => a.type))].sort();
  return (
    <section class="page artifacts-page" data-project={project}>
      <TeamCrumbs project={info.data ?? project} here="Artifacts" />
      <div class="page-head">
        <h1>Artifacts</h1>
        {list.data && list.data.length > 0 && (
          <>
            <span class="muted">
              {list.data.length} in {name}
              {types.length ? ` · ${types.join(", ")}` : ""}
            </span>
            <input type="search" placeholder="Filter by name or type…" aria-label="Filter artifacts" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
          </>
        )}
      </div>
      {list.error ? (
        <ErrorBox error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading what="Loading artifacts" />
      ) : list.data.length === 0 ? (
        <Empty title="No artifacts in this project yet">
          <p>Datasets, checkpoints and models logged as artifacts show up here with their versions and the runs that made and used them.</p>
          <div class="snippets-left">
            <CodeBlock label="Python" testid="artifacts-python" text={`run = sightline.init(project=${JSON.stringify(name)})\nrun.log_artifact("checkpoints/", name="model", type="model", aliases=["best"])`} />
            <CodeBlock label="Node.js" testid="artifacts-node" text={`await run.logArtifact("checkpoints/", { name: "model", type: "model", aliases: ["best"] });`} />
            <CodeBlock label="CLI" testid="artifacts-cli" text={`sightline artifact put checkpoints/ --project ${name} --name model --type model --alias best`} />
          </div>
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No artifact matches">
          <p>Nothing is named or typed like “{q}”.</p>
        </Empty>
      ) : (
        shown.map((a) => <ArtifactCard key={a.id} project={project} artifact={a} />)
      )}
    </section>
  );
}
