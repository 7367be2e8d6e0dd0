import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Session } from "./types";

export type SessionCtx = { session: Session; refresh: () => Promise<void> };
export const SessionContext = createContext<SessionCtx | null>(null);

// Null while the session is still loading (pages render in parallel with /me).
export function useSession(): SessionCtx | null {
  return useContext(SessionContext);
}
