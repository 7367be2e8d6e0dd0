import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { api } from "./api";
import { navigate } from "./router";
import type { Session } from "./types";

export type SessionCtx = { session: Session; refresh: () => Promise<void> };
export const SessionContext = createContext<SessionCtx | null>(null);

// Null while the session is still loading (pages render in parallel with /me).
export function useSession(): SessionCtx | null {
  return useContext(SessionContext);
}

// After leaving or deleting the current team: carry on in another team of
// the user's, else log out.
export async function afterTeamGone(session: Session, refresh: () => Promise<void>): Promise<void> {
  const other = session.teams.find((t) => t.id !== session.team.id);
  if (other && (await api("POST", "/auth/switch-team", { team_id: other.id }).then(() => true, () => false))) {
    // Leave the old team's page before the session changes (app.tsx remounts
    // the pages for the new team; a team URL would otherwise switch back).
    navigate("/projects");
    await refresh();
  } else {
    await api("POST", "/logout").catch(() => undefined);
    location.href = "/login";
  }
}
