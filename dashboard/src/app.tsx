import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Header } from "./components/header";
import { ErrorBox, Loading } from "./components/states";
import { TeamScope, type Scope } from "./components/team-scope";
import { ApiFailure, get } from "./lib/api";
import { setCurrentTeam, TEAM_ID } from "./lib/links";
import { match, navigate, useLocation } from "./lib/router";
import { SessionContext } from "./lib/session";
import type { Session } from "./lib/types";
import type { JSX } from "preact";
import { AuthPage } from "./pages/auth";
import { ComparePage } from "./pages/compare";
import { InvitePage } from "./pages/invite";
import { ProjectsPage } from "./pages/projects";
import { RunPage } from "./pages/run";
import { ReportPage } from "./pages/report";
import { ReportsPage } from "./pages/reports";
import { RunsPage } from "./pages/runs";
import { SharePage } from "./pages/share";
import { ShareEmbedPage } from "./pages/share-embed";
import { WorkspacePage } from "./pages/workspace";
import { ArtifactsPage } from "./pages/artifacts";
import { SETTINGS_TABS, SettingsPage, type SettingsTab } from "./pages/settings";

const PUBLIC = new Set(["/login", "/signup"]);

export function App() {
  const loc = useLocation();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [bootError, setBootError] = useState<Error>();

  const refresh = useCallback(async () => {
    if (location.pathname.startsWith("/share/")) return; // a share link reads without a session
    try {
      setSession(await get<Session>("/me"));
      setBootError(undefined);
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) setSession(null);
      else setBootError(err as Error);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const out = () => setSession(null);
    window.addEventListener("sl:unauthenticated", out);
    return () => window.removeEventListener("sl:unauthenticated", out);
  }, []);

  // An invite link opens for anyone: it offers log-in or sign-up itself.
  const invite = match("/invite/:token", loc.path);
  // A share link needs no session at all: it reads with its own token.
  const share = match("/share/:token", loc.path) ?? match("/share/:token/embed/:block", loc.path);

  // Signed out on a private page → log in, and come back afterwards.
  useEffect(() => {
    if (session === null && !PUBLIC.has(loc.path) && !invite && !share) {
      const back = loc.path === "/" ? "" : `?next=${encodeURIComponent(loc.path + location.search)}`;
      navigate(`/login${back}`, { replace: true });
    }
    if (session && (PUBLIC.has(loc.path) || loc.path === "/")) navigate(loc.query.get("next") ?? "/projects", { replace: true });
  }, [session, loc.path]);

  // The router's title first (a layout effect, so it runs before the page's
  // own useTitle effects, which name the run, project or report).
  useLayoutEffect(() => {
    document.title = titleFor(loc.path);
  }, [loc.path]);

  // Links name the current team (lib/links.ts); and when the team changes,
  // every page is mounted afresh so none shows the old team's data.
  const team = session?.team.id;
  if (team) setCurrentTeam(team);
  const teamSeen = useRef<string>();
  const epoch = useRef(0);
  if (team && teamSeen.current && team !== teamSeen.current) epoch.current++;
  if (team) teamSeen.current = team;

  if (share)
    return (
      <main id="main">
        {share.block ? <ShareEmbedPage token={share.token!} blockId={share.block} /> : <SharePage token={share.token!} />}
      </main>
    );
  if (bootError) return <ErrorBox error={bootError} retry={refresh} />;
  if (invite)
    return (
      <main id="main">
        <InvitePage token={invite.token!} session={session} onSession={refresh} />
      </main>
    );
  if (session === null) return PUBLIC.has(loc.path) ? <AuthPage mode={loc.path === "/signup" ? "signup" : "login"} onDone={refresh} /> : <Loading what="Redirecting" />;
  // While /me is in flight the page already loads its own data (a signed-out
  // visitor's requests answer 401 and land on the login page).
  if (session === undefined && PUBLIC.has(loc.path)) return <Loading what="Starting" />;
  return (
    <SessionContext.Provider value={session ? { session, refresh } : null}>
      {session ? <Header path={loc.path} /> : <header class="topbar" />}
      <main id="main" key={epoch.current}>
        {route(loc.path, loc.query)}
      </main>
    </SessionContext.Provider>
  );
}

function route(path: string, query: URLSearchParams) {
  let m: Record<string, string> | null;
  if (path === "/projects") return <ProjectsPage />;
  if (path === "/settings") return <SettingsPage tab="members" />;
  if ((m = match("/settings/:tab", path)) && SETTINGS_TABS.some((t) => t.id === m!.tab)) return <SettingsPage tab={m.tab as SettingsTab} />;
  const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
  // /<team_id>/<project>/… (lib/links.ts), and the old team-less forms.
  if (seg[0] && TEAM_ID.test(seg[0])) {
    if (seg.length === 1) return <TeamScope scope={{ team: seg[0], rest: "" }}>{<ProjectsPage />}</TeamScope>;
    const page = projectPage(seg[1]!, seg.slice(2), query);
    if (page) return <TeamScope scope={{ team: seg[0], project: seg[1], ...page.scope }}>{page.el}</TeamScope>;
  } else if (seg[0] === "projects" && seg.length >= 2) {
    const page = projectPage(seg[1]!, seg.slice(2), query);
    if (page) return <TeamScope scope={{ project: seg[1], ...page.scope }}>{page.el}</TeamScope>;
  } else if ((m = match("/runs/:run", path))) {
    return <TeamScope scope={{ run: m.run, rest: `/runs/${encodeURIComponent(m.run!)}` }}>{runPage(m.run!)}</TeamScope>;
  } else if ((m = match("/reports/:report", path))) {
    return <TeamScope scope={{ report: m.report, rest: `/reports/${encodeURIComponent(m.report!)}` }}>{reportPage(m.report!, query)}</TeamScope>;
  }
  return (
    <div class="state empty">
      <h3>Page not found</h3>
      <p>
        Nothing lives at <code>{path}</code>. Go to <a href="/projects">your projects</a>.
      </p>
    </div>
  );
}

// The page under a project, from what follows the project in the URL. The
// same element comes back for the old and the new URL of a page, so the
// in-place rewrite to the new URL does not mount it twice.
function projectPage(project: string, rest: string[], query: URLSearchParams): { el: JSX.Element; scope: Omit<Scope, "team" | "project"> } | null {
  const enc = encodeURIComponent;
  if (rest.length === 0) return { el: <RunsPage key={project} project={project} />, scope: { rest: "" } };
  if (rest.length === 1) {
    const tail = { rest: `/${rest[0]}` };
    if (rest[0] === "compare") return { el: <ComparePage project={project} runIds={(query.get("runs") ?? "").split(",").filter(Boolean)} />, scope: tail };
    if (rest[0] === "reports") return { el: <ReportsPage key={project} project={project} />, scope: tail };
    if (rest[0] === "workspace") return { el: <WorkspacePage key={project} project={project} />, scope: tail };
    if (rest[0] === "artifacts") return { el: <ArtifactsPage key={project} project={project} />, scope: tail };
    return null;
  }
  if (rest.length === 2 && rest[0] === "runs") return { el: runPage(rest[1]!), scope: { run: rest[1], rest: `/runs/${enc(rest[1]!)}` } };
  if (rest.length === 2 && rest[0] === "reports") return { el: reportPage(rest[1]!, query), scope: { report: rest[1], rest: `/reports/${enc(rest[1]!)}` } };
  return null;
}

const runPage = (run: string) => <RunPage key={run} runId={run} />;
const reportPage = (report: string, query: URLSearchParams) => <ReportPage key={report} reportId={report} editing={query.get("edit") === "1"} />;

function titleFor(path: string) {
  const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
  const named = (p: string | undefined) => (p && p !== "-" && !p.startsWith("prj_") ? p : undefined);
  if (seg[0] && TEAM_ID.test(seg[0])) {
    if (seg.length === 1) return "Projects · Sightline";
    seg.shift();
  } else if (seg[0] === "projects" && seg.length > 1) seg.shift();
  else if (seg[0] === "runs" || seg[0] === "reports") seg.unshift("-");
  if (seg[1] === "runs") return "Run · Sightline";
  if (seg[1] === "compare") return [ "Compare", named(seg[0]), "Sightline"].filter(Boolean).join(" · ");
  if (seg[1] === "reports") return seg[2] ? "Report · Sightline" : ["Reports", named(seg[0]), "Sightline"].filter(Boolean).join(" · ");
  if (seg[1] === "workspace") return ["Workspace", named(seg[0]), "Sightline"].filter(Boolean).join(" · ");
  if (seg[1] === "artifacts") return ["Artifacts", named(seg[0]), "Sightline"].filter(Boolean).join(" · ");
  if (path.startsWith("/share/")) return "Report · Sightline";
  if (path === "/projects") return "Projects · Sightline";
  if (path === "/settings/keys") return "API keys · Sightline";
  if (path.startsWith("/settings")) return `${SETTINGS_TABS.find((t) => path.endsWith(`/${t.id}`))?.label ?? "Members"} · Settings · Sightline`;
  if (path.startsWith("/invite/")) return "Invite · Sightline";
  if (seg.length === 1 && named(seg[0])) return `${seg[0]} · Sightline`;
  return "Sightline";
}
