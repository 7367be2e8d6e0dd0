import type { ComponentChildren } from "preact";
import { Loading } from "../components/states";
import { useSession } from "../lib/session";
import type { Session } from "../lib/types";
import { AuditPage } from "./settings-audit";
import { KeysPage } from "./keys";
import { MembersPage } from "./settings-members";
import { TeamPage } from "./settings-team";
import { UsagePage } from "./settings-usage";

export const SETTINGS_TABS = [
  { id: "members", label: "Members" },
  { id: "usage", label: "Plan & usage" },
  { id: "audit", label: "Audit log" },
  { id: "keys", label: "API keys" },
  { id: "team", label: "Team" },
] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number]["id"];

export const isAdmin = (s: Session) => s.team.role === "owner" || s.team.role === "admin";

// /settings/<tab>: one frame with the team's name and the sections as links.
export function SettingsPage({ tab }: { tab: SettingsTab }) {
  const ctx = useSession();
  if (!ctx) return <Loading what="Loading settings" />;
  const s = ctx.session;
  return (
    <section class="page settings">
      <div class="page-head">
        <h1>Settings</h1>
        <span class="muted">
          team <strong>{s.team.name}</strong> · you are <span class="badge">{s.team.role}</span> · plan <span class="badge">{s.team.plan}</span>
        </span>
      </div>
      <nav class="subnav" aria-label="Settings sections">
        {SETTINGS_TABS.map((t) => (
          <a href={`/settings/${t.id}`} class={t.id === tab ? "on" : ""} aria-current={t.id === tab ? "page" : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      <Body tab={tab} session={s} />
    </section>
  );
}

function Body({ tab, session }: { tab: SettingsTab; session: Session }): ComponentChildren {
  if (tab === "members") return <MembersPage session={session} />;
  if (tab === "usage") return <UsagePage session={session} />;
  if (tab === "audit") return <AuditPage session={session} />;
  if (tab === "team") return <TeamPage session={session} />;
  return <KeysPage embedded />;
}
