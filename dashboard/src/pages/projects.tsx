import { useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components/states";
import { api, get } from "../lib/api";
import { fmtDate } from "../lib/format";
import { navigate } from "../lib/router";
import type { Project } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { projectHref } from "../lib/links";

export function ProjectsPage() {
  const projects = useAsync((s) => get<{ projects: Project[] }>("/projects", s).then((r) => r.projects), []);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();

  async function create(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      const { project } = await api("POST", "/projects", { name: String(f.get("name")).trim(), description: String(f.get("description") ?? "") });
      navigate(projectHref(project.name));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section class="page">
      <div class="page-head">
        <h1>Projects</h1>
        <button class="primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
          New project
        </button>
      </div>
      {creating && (
        <form class="inline-form" onSubmit={create}>
          <input name="name" placeholder="name, e.g. resnet-cifar" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" autofocus aria-label="Project name" />
          <input name="description" placeholder="description (optional)" aria-label="Description" />
          <button type="submit">Create</button>
          {error && <span class="form-error">{error}</span>}
        </form>
      )}
      {projects.error ? (
        <ErrorBox error={projects.error} retry={projects.reload} />
      ) : !projects.data ? (
        <Loading what="Loading projects" />
      ) : projects.data.length === 0 ? (
        <Empty title="No projects yet">
          <p>Create one above, or just log a run: a run logged to a new project name creates the project.</p>
          <pre class="code">{`import sightline\nrun = sightline.init(project="my-project", config={"lr": 0.01})\nrun.log({"loss": 0.5}, step=1)`}</pre>
          <p class="muted">
            You need an API key for that: <a href="/settings/keys">create one</a>.
          </p>
        </Empty>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {projects.data.map((p) => (
              <tr>
                <td>
                  <a href={projectHref(p)}>{p.name}</a>
                </td>
                <td class="muted">{p.description}</td>
                <td class="muted">{fmtDate(p.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
