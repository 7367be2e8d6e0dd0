import { useCallback, useEffect, useState } from "preact/hooks";
import { Header } from "./components/header";
import { ErrorBox, Loading } from "./components/states";
import { ApiFailure, get } from "./lib/api";
import { match, navigate, useLocation } from "./lib/router";
import { SessionContext } from "./lib/session";
import type { Session } from "./lib/types";
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

  useEffect(() => {
    document.title = titleFor(loc.path);
  }, [loc.path]);

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
      <main id="main">{route(loc.path, loc.query)}</main>
    </SessionContext.Provider>
  );
}

function route(path: string, query: URLSearchParams) {
  let m: Record<string, string> | null;
  if (path === "/projects") return <ProjectsPage />;
  if (path === "/settings") return <SettingsPage tab="members" />;
  if ((m = match("/settings/:tab", path)) && SETTINGS_TABS.some((t) => t.id === m!.tab)) return <SettingsPage tab={m.tab as SettingsTab} />;
  if ((m = match("/projects/:project/compare", path))) return <ComparePage project={m.project!} runIds={(query.get("runs") ?? "").split(",").filter(Boolean)} />;
  if ((m = match("/projects/:project/reports", path))) return <ReportsPage key={m.project} project={m.project!} />;
  if ((m = match("/projects/:project/workspace", path))) return <WorkspacePage key={m.project} project={m.project!} />;
  if ((m = match("/projects/:project/artifacts", path))) return <ArtifactsPage key={m.project} project={m.project!} />;
  if ((m = match("/reports/:report", path))) return <ReportPage key={m.report} reportId={m.report!} editing={query.get("edit") === "1"} />;
  if ((m = match("/projects/:project", path))) return <RunsPage key={m.project} project={m.project!} />;
  if ((m = match("/runs/:run", path))) return <RunPage key={m.run} runId={m.run!} />;
  return (
    <div class="state empty">
      <h3>Page not found</h3>
      <p>
        Nothing lives at <code>{path}</code>. Go to <a href="/projects">your projects</a>.
      </p>
    </div>
  );
}

function titleFor(path: string) {
  if (path.startsWith("/runs/")) return "Run · Sightline";
  if (path.endsWith("/compare")) return "Compare · Sightline";
  if (path.endsWith("/reports") || path.startsWith("/reports/") || path.startsWith("/share/")) return "Report · Sightline";
  if (path.startsWith("/projects/")) return `${decodeURIComponent(path.split("/")[2] ?? "")} · Sightline`;
  if (path === "/settings/keys") return "API keys · Sightline";
  if (path.startsWith("/settings")) return `${SETTINGS_TABS.find((t) => path.endsWith(`/${t.id}`))?.label ?? "Settings"} · Sightline`;
  if (path.startsWith("/invite/")) return "Invite · Sightline";
  return "Sightline";
}
