import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { TEAM_ID } from "../lib/links";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { applyTheme, currentTheme, type ThemeChoice } from "../lib/theme";
import { useUsage, warningsOf } from "../lib/usage";
import { NewTeamDialog } from "./team-dialog";

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const THEME_ICON: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };

export function Header({ path }: { path: string }) {
  const { session, refresh } = useSession()!;
  const [theme, setTheme] = useState(currentTheme);
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);
  const { usage } = useUsage(session.team.id);
  const warnings = usage ? warningsOf(usage) : [];
  const full = warnings.some((w) => w.level === "100%");

  // Go to the projects list first, then reload the session: the pages are
  // keyed by team (app.tsx), so the new team's projects load at once, and a
  // page of the old team's URL is never shown under the new team.
  async function switchTeam(id: string) {
    if (id === "__new") return setCreating(true);
    setBusy(true);
    try {
      await api("POST", "/auth/switch-team", { team_id: id });
      navigate("/projects");
      await refresh();
    } finally {
      setBusy(false);
    }
  }

  async function logout() {
    await api("POST", "/logout").catch(() => undefined);
    location.href = "/login";
  }

  const active = (href: string) => path === href || (href === "/projects" && (path.startsWith("/projects") || TEAM_ID.test(path.split("/")[1] ?? ""))) || (href === "/settings/members" && path.startsWith("/settings") && path !== "/settings/keys");
  const nav = (href: string, label: string, cls = "") => (
    <a href={href} class={`${cls} ${active(href) ? "active" : ""}`}>
      {label}
    </a>
  );
  return (
    <header class="topbar">
      <a href="/projects" class="brand" aria-label="Sightline home">
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
          <path d="M1 12 L5 6 L9 9 L15 2" stroke="currentColor" stroke-width="2" fill="none" />
        </svg>
        <span class="brand-text">Sightline</span>
      </a>
      <nav>
        {nav("/projects", "Projects")}
        {nav("/settings/members", "Settings")}
        {nav("/settings/keys", "API keys", "wide-only")}
      </nav>
      <div class="spacer" />
      {warnings.length > 0 && (
        <a
          href="/settings/usage"
          class={`usage-flag ${full ? "full" : "high"}`}
          data-testid="usage-flag"
          title={warnings.map((w) => `${w.label}: ${Math.floor(w.ratio * 100)}%`).join(", ")}
          aria-label={`Usage warning: ${warnings.map((w) => `${w.label} at ${Math.floor(w.ratio * 100)}%`).join(", ")}`}
        >
          ⚠ <span class="flag-text">{full ? "limit reached" : `${Math.floor(Math.max(...warnings.map((w) => w.ratio)) * 100)}% of a limit`}</span>
        </a>
      )}
      <label class="team-switch">
        <span class="sr-only">Team</span>
        <select aria-label="Team" value={session.team.id} disabled={busy} onChange={(e) => switchTeam((e.target as HTMLSelectElement).value)}>
          {session.teams.map((t) => (
            <option value={t.id}>
              {t.name} ({t.role})
            </option>
          ))}
          <option value="__new">+ New team…</option>
        </select>
      </label>
      {creating && <NewTeamDialog onCreated={(team) => switchTeam(team.id)} onClose={() => setCreating(false)} />}
      <button
        class="icon"
        title={`Theme: ${theme} (click to change)`}
        aria-label={`Theme: ${theme}`}
        onClick={() => {
          const next = NEXT_THEME[theme];
          applyTheme(next);
          setTheme(next);
        }}
      >
        {THEME_ICON[theme]}
      </button>
      <span class="muted small user">{session.user.email}</span>
      <button class="ghost" onClick={logout}>
        Log out
      </button>
    </header>
  );
}
