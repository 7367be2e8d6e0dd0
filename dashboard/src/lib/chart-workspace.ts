import { useEffect, useRef, useState } from "preact/hooks";
import { api, get } from "./api";
import type { GridSettings } from "../components/chart-grid";

// The saved workspace as the API holds it (worker/routes/workspaces/schema.ts).
export type SavedWorkspace = { runs?: string[]; smoothing?: number; x?: "step" | "time"; log_y?: boolean; collapsed?: string[] };
export type WorkspaceState = GridSettings & { runs?: string[] };

export const fromSaved = (s: SavedWorkspace): WorkspaceState => ({
  x: s.x ?? "step",
  smoothing: s.smoothing ?? 0,
  log: s.log_y ?? false,
  collapsed: s.collapsed ?? [],
  runs: s.runs,
});

const toSaved = (s: WorkspaceState): SavedWorkspace => ({
  ...(s.runs ? { runs: s.runs.slice(0, 100) } : {}),
  smoothing: s.smoothing,
  x: s.x,
  log_y: s.log,
  collapsed: s.collapsed,
});

const SAVE_DELAY_MS = 400;

// Loads the member's saved workspace for the project, and saves every change
// (debounced: a smoothing slider drag is one save, not fifty).
export function useSavedWorkspace(project: string) {
  const [state, setState] = useState<WorkspaceState | null>(null);
  const [error, setError] = useState<Error>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const path = `/projects/${encodeURIComponent(project)}/workspace`;
  useEffect(() => {
    const ctl = new AbortController();
    get<{ workspace: { settings: SavedWorkspace } }>(path, ctl.signal).then(
      (r) => setState(fromSaved(r.workspace.settings)),
      (e: Error) => e.name !== "AbortError" && setError(e),
    );
    return () => (ctl.abort(), clearTimeout(timer.current));
  }, [project]);
  const update = (patch: Partial<WorkspaceState>) => {
    setState((s) => {
      const next = { ...(s ?? fromSaved({})), ...patch };
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void api("PUT", path, { settings: toSaved(next) }).catch(() => {}), SAVE_DELAY_MS);
      return next;
    });
  };
  return { state, error, update };
}
