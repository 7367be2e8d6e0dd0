import { get } from "../lib/api";
import "../styles/teams.css";
import { projectHref, projectNameOf, rememberProject, teamHref } from "../lib/links";
import { useSession } from "../lib/session";
import type { Project } from "../lib/types";
import { useAsync } from "../lib/use-async";

type ProjectArg = string | Pick<Project, "id" | "name">;

// "Team / project / here": names only, never a raw project id (while a
// project known only by id loads, its crumb reads "Runs").
export function TeamCrumbs({ project, section, here, class: cls = "" }: { project?: ProjectArg | null; section?: { href: string; label: string }; here?: string; class?: string }) {
  const ctx = useSession();
  const known = projectNameOf(project);
  const id = !known && typeof project === "string" && project.startsWith("prj_") ? project : null;
  const fetched = useAsync(
    (s) =>
      id
        ? get<{ project: Project }>(`/projects/${encodeURIComponent(id)}`, s).then((r) => {
            rememberProject(r.project);
            return r.project.name;
          })
        : Promise.resolve(undefined),
    [id],
  );
  const name = known ?? fetched.data;
  return (
    <nav class={`crumbs team-crumbs ${cls}`} aria-label="Breadcrumb" data-testid="crumbs">
      {ctx && (
        <>
          <a href={teamHref(ctx.session.team.id)}>{ctx.session.team.name}</a>
          <span class="sep" aria-hidden="true">/</span>
        </>
      )}
      {project &&
        (section || here ? (
          <a href={projectHref(project)} data-testid="crumb-project">
            {name ?? "Runs"}
          </a>
        ) : (
          <span aria-current="page" data-testid="crumb-project">
            {name ?? "Runs"}
          </span>
        ))}
      {section && (
        <>
          <span class="sep" aria-hidden="true">/</span>
          <a href={section.href}>{section.label}</a>
        </>
      )}
      {here && (
        <>
          <span class="sep" aria-hidden="true">/</span>
          <span aria-current="page">{here}</span>
        </>
      )}
    </nav>
  );
}
