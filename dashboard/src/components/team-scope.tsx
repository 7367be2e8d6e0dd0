import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, get } from "../lib/api";
import { lastTeam, projectRef, rememberProject, UNKNOWN_PROJECT } from "../lib/links";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import type { Project } from "../lib/types";
import { Loading } from "./states";

// What a team-scoped URL names. `team` is absent on the old team-less URLs
// (/runs/<id>, /projects/<p>, /reports/<id>), which stay valid: they are
// rewritten to the full form in place, without reloading the page.
export type Scope = {
  team?: string;
  project?: string; // name, id, or "-" when the link did not know it
  rest: string; // what follows the project: "", "/workspace", "/runs/<id>", …
  run?: string;
  report?: string;
};

// Renders a page of one team. Opening another of the user's teams switches
// the session to it first (W&B's /<entity>/… links work for any member); a
// team the user is not in gets a plain "not found or no access" page.
export function TeamScope({ scope, children }: { scope: Scope; children: ComponentChildren }) {
  const ctx = useSession();
  const current = ctx?.session.team.id;
  const want = scope.team ?? current;
  const member = !!ctx && !!want && ctx.session.teams.some((t) => t.id === want);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!ctx || !want || want === current || !member) return;
    let gone = false;
    api("POST", "/auth/switch-team", { team_id: want }).then(
      // Even if the user has moved on: the cookie now names the new team,
      // so the session on screen must follow it.
      () => void ctx.refresh(),
      () => {
        if (!gone) setFailed(true);
      },
    );
    return () => {
      gone = true;
    };
  }, [want, current, member]);

  useCanonicalUrl(scope, current && want === current ? current : undefined);

  if (scope.team && !ctx && scope.team !== lastTeam()) return <Loading what="Opening team" />;
  if (ctx && want && (!member || failed)) return <NoAccess />;
  if (ctx && want !== current) return <Loading what={`Switching to ${ctx.session.teams.find((t) => t.id === want)?.name ?? "team"}`} />;
  return <>{children}</>;
}

// Rewrites the address to /<team>/<project name>/… once both are known:
// old team-less links, and links made from an id or before the project was
// known, end up naming the team and the project.
function useCanonicalUrl(scope: Scope, team: string | undefined) {
  const [ref, setRef] = useState<string>();
  useEffect(() => {
    const ctl = new AbortController();
    // After the page's own first requests: the address can wait, charts not.
    const timer = setTimeout(() => {
      resolveProject(scope, ctl.signal).then(
        (p) => {
          if (!p) return;
          rememberProject(p);
          if (!ctl.signal.aborted) setRef(projectRef(p));
        },
        () => undefined, // the page itself shows why its data did not load
      );
    }, RESOLVE_AFTER_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [scope.project, scope.run, scope.report]);
  useEffect(() => {
    if (!team) return;
    const seg = ref ?? (scope.project && scope.project !== UNKNOWN_PROJECT ? scope.project : undefined);
    if (!seg) return;
    const to = `/${encodeURIComponent(team)}/${encodeURIComponent(seg)}${scope.rest}${location.search}`;
    if (to !== location.pathname + location.search) navigate(to, { replace: true });
  }, [team, ref, scope.project, scope.rest]);
}

const RESOLVE_AFTER_MS = 150;

// The project a URL means: from its segment, else from its run or report.
const cache = new Map<string, Promise<Pick<Project, "id" | "name"> | undefined>>();
function resolveProject(scope: Scope, signal: AbortSignal): Promise<Pick<Project, "id" | "name"> | undefined> {
  const seg = scope.project && scope.project !== UNKNOWN_PROJECT ? scope.project : undefined;
  const what = seg ? `p:${seg}` : scope.run ? `r:${scope.run}` : scope.report ? `q:${scope.report}` : "";
  if (!what) return Promise.resolve(undefined);
  const key = `${lastTeam()}:${what}`; // a name means another project in another team
  const hit = cache.get(key);
  if (hit) return hit;
  const byId = (id: string) => get<{ project: Project }>(`/projects/${encodeURIComponent(id)}`, signal).then((r) => r.project);
  const p = seg
    ? byId(seg)
    : scope.run
      ? get<{ run: { project_id: string } }>(`/runs/${encodeURIComponent(scope.run)}`, signal).then((r) => byId(r.run.project_id))
      : get<{ report: { project_id: string } }>(`/reports/${encodeURIComponent(scope.report!)}`, signal).then((r) => byId(r.report.project_id));
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  return p;
}

export function NoAccess() {
  return (
    <div class="state empty" data-testid="no-access" role="alert">
      <h3>Not found, or no access</h3>
      <p>
        This page belongs to a team you are not a member of, or it no longer exists. Ask a member of that team for an invite, or go to{" "}
        <a href="/projects">your projects</a>.
      </p>
    </div>
  );
}
