import { useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components/states";
import { api, get } from "../lib/api";
import { fmtDate } from "../lib/format";
import { navigate } from "../lib/router";
import type { Project } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { Can } from "../lib/can";
import { SetupSnippet } from "../components/setup-snippet";
import { projectHref } from "../lib/links";
import { useSession } from "../lib/session";
import { useTitle } from "../lib/title";
import "../styles/teams.css";

// The server's rule for project names (worker/lib/validation.ts slugName),
// said in words the browser's "match the requested format" never gives.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export function projectNameProblem(raw: string): string | undefined {
  const v = raw.trim();
  if (!v) return "Give the project a name.";
  if (v.length > 100) return "A project name has at most 100 characters.";
  if (!NAME.test(v)) return "Use letters, digits, '.', '_' and '-' only, starting with a letter or digit (no spaces).";
  return undefined;
}

export function ProjectsPage() {
  const projects = useAsync((s) => get<{ projects: Project[] }>("/projects", s).then((r) => r.projects), []);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  const [nameProblem, setNameProblem] = useState<string>();
  const team = useSession()?.session.team;
  useTitle("Projects", team?.name);

  async function create(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const problem = projectNameProblem(String(f.get("name") ?? ""));
    setNameProblem(problem);
    const input = (e.target as HTMLFormElement).elements.namedItem("name") as HTMLInputElement;
    input.setCustomValidity(problem ?? "");
    if (problem) return input.focus();
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
        {team && <span class="muted" data-testid="projects-team">{team.name}</span>}
        <div class="spacer" />
        <Can action="project.create">
          <button class="primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            New project
          </button>
        </Can>
      </div>
      {creating && (
        <form class="inline-form" onSubmit={create} noValidate>
          <input
            name="name"
            placeholder="name, e.g. resnet-cifar"
            required
            autofocus
            aria-label="Project name"
            aria-invalid={nameProblem ? "true" : undefined}
            aria-describedby="project-name-hint"
            onInput={(e) => {
              const el = e.target as HTMLInputElement;
              if (!nameProblem) return;
              const p = projectNameProblem(el.value);
              setNameProblem(p);
              el.setCustomValidity(p ?? "");
            }}
          />
          <input name="description" placeholder="description (optional)" aria-label="Description" />
          <button type="submit">Create</button>
          {error && <span class="form-error">{error}</span>}
          <p id="project-name-hint" class={`field-hint small ${nameProblem ? "form-error" : "muted"}`} role={nameProblem ? "alert" : undefined} data-testid="project-name-hint">
            {nameProblem ?? "Letters, digits, '.', '_' and '-'; starts with a letter or digit."}
          </p>
        </form>
      )}
      {projects.error ? (
        <ErrorBox error={projects.error} retry={projects.reload} />
      ) : !projects.data ? (
        <Loading what="Loading projects" />
      ) : projects.data.length === 0 ? (
        <Empty title="No projects yet">
          <p>Create one above, or just log a run: a run logged to a new project name creates the project.</p>
          <SetupSnippet project="my-project" />
          <p class="muted">
            You need an API key for that: <a href="/settings/keys">create one</a>.
          </p>
        </Empty>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th class="hide-narrow">Description</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {projects.data.map((p) => (
              <tr>
                <td>
                  <a href={projectHref(p)}>{p.name}</a>
                </td>
                <td class="muted hide-narrow">{p.description}</td>
                <td class="muted">{fmtDate(p.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
