import type { Project } from "./types";

// Every in-app URL is built here, so the URL scheme lives in one file.
// URLs name the team and the project, as W&B's /<entity>/<project> do:
//   /<team_id>                          the team's projects
//   /<team_id>/<project>                runs
//   /<team_id>/<project>/runs/<run>     one run
//   /<team_id>/<project>/{workspace,artifacts,reports,compare?runs=}
//   /<team_id>/<project>/reports/<id>   one report
// A team id always starts with "team_", so these never collide with the
// app's fixed paths (/projects, /settings, /login, /invite, /share, /api…).
// docs/adr/0014-urls-name-team-and-project.md records the choice.
const enc = encodeURIComponent;

export const TEAM_ID = /^team_[A-Za-z0-9]+$/;
// The project segment when a link is made before the project is known; the
// page it opens replaces it with the project's name (app.tsx).
export const UNKNOWN_PROJECT = "-";

// The session's current team; set by app.tsx as soon as /me answers (and
// remembered across reloads, so the first links of a page are right too).
let currentTeam: string | null = readStoredTeam();
export function setCurrentTeam(id: string) {
  if (id === currentTeam) return;
  currentTeam = id;
  try {
    localStorage.setItem("sl-team", id);
  } catch {
    // Storage may be disabled; the in-memory value still serves this tab.
  }
}
export const lastTeam = () => currentTeam;
function readStoredTeam(): string | null {
  try {
    const t = localStorage.getItem("sl-team");
    return t && TEAM_ID.test(t) ? t : null;
  } catch {
    return null;
  }
}

// Project names made through MLflow may hold spaces, slashes or look like an
// id ("/Users/me/exp 1"): such projects are linked by id, the rest by name.
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const projectRef = (p: Pick<Project, "id" | "name">) => (SLUG.test(p.name) && !p.name.startsWith("prj_") ? p.name : p.id);

// Project ids seen with their names, so a link made from a run's project_id
// still names the project once any page has loaded that project.
const known = new Map<string, string>();
const names = new Map<string, string>();
export function rememberProject(p: Pick<Project, "id" | "name">) {
  known.set(p.id, projectRef(p));
  names.set(p.id, p.name);
  names.set(projectRef(p), p.name);
}
export const knownProjectRef = (id: string) => known.get(id);
// A project's display name from what a page has (name, id or the project),
// or undefined while only an unknown id is at hand.
export function projectNameOf(p: ProjectArg | null | undefined): string | undefined {
  if (!p) return undefined;
  if (typeof p !== "string") return p.name;
  return names.get(p) ?? (p.startsWith("prj_") || p === UNKNOWN_PROJECT ? undefined : p);
}

// `project` is a name or id as the page has it, or the project itself.
type ProjectArg = string | Pick<Project, "id" | "name">;
const ref = (p: ProjectArg | null) => {
  if (p === null || p === "") return UNKNOWN_PROJECT;
  if (typeof p === "string") return known.get(p) ?? p;
  rememberProject(p);
  return projectRef(p);
};
// Before the first /me of a browser the team is unknown: links then take the
// old team-less forms, which app.tsx redirects to the full ones.
const base = (project: ProjectArg | null) => (currentTeam ? `/${enc(currentTeam)}/${enc(ref(project))}` : `/projects/${enc(ref(project))}`);

export const teamHref = (teamId?: string) => (teamId ?? currentTeam ? `/${enc((teamId ?? currentTeam)!)}` : "/projects");
export const projectHref = (project: ProjectArg) => base(project);
export const runHref = (project: ProjectArg | null, run: string) => (currentTeam ? `${base(project)}/runs/${enc(run)}` : `/runs/${enc(run)}`);
export const compareHref = (project: ProjectArg, runIds: string[]) => `${projectHref(project)}/compare?runs=${runIds.map(enc).join(",")}`;
export const workspaceHref = (project: ProjectArg) => `${projectHref(project)}/workspace`;
export const artifactsHref = (project: ProjectArg) => `${projectHref(project)}/artifacts`;
export const reportsHref = (project: ProjectArg) => `${projectHref(project)}/reports`;
export const reportHref = (project: ProjectArg | null, report: string, opts: { edit?: boolean } = {}) =>
  `${currentTeam ? `${base(project)}/reports` : "/reports"}/${enc(report)}${opts.edit ? "?edit=1" : ""}`;
