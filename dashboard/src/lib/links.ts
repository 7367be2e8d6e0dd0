import type { Project } from "./types";

// Every in-app URL is built here, so the URL scheme lives in one file
// (issue 13 makes URLs name the team and project, as W&B's do).
const enc = encodeURIComponent;

// Project names made through MLflow may hold spaces, slashes or look like an
// id ("/Users/me/exp 1"): such projects are linked by id, the rest by name.
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const projectRef = (p: Pick<Project, "id" | "name">) => (SLUG.test(p.name) && !p.name.startsWith("prj_") ? p.name : p.id);

// `project` is a name or id as the page has it, or the project itself.
type ProjectArg = string | Pick<Project, "id" | "name">;
const ref = (p: ProjectArg) => (typeof p === "string" ? p : projectRef(p));

export const projectHref = (project: ProjectArg) => `/projects/${enc(ref(project))}`;
export const runHref = (_project: ProjectArg | null, run: string) => `/runs/${enc(run)}`;
export const compareHref = (project: ProjectArg, runIds: string[]) => `${projectHref(project)}/compare?runs=${runIds.map(enc).join(",")}`;
export const workspaceHref = (project: ProjectArg) => `${projectHref(project)}/workspace`;
export const artifactsHref = (project: ProjectArg) => `${projectHref(project)}/artifacts`;
export const reportsHref = (project: ProjectArg) => `${projectHref(project)}/reports`;
export const reportHref = (_project: ProjectArg | null, report: string, opts: { edit?: boolean } = {}) =>
  `/reports/${enc(report)}${opts.edit ? "?edit=1" : ""}`;
