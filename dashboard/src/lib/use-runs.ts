import { useEffect, useRef, useState } from "preact/hooks";
import { get, qs } from "./api";
import type { RunQuery } from "./filter";
import type { Run } from "./types";

export const RUNS_PAGE = 200;
export const RUNS_CAP = 20_000;
// How often a table with running runs refreshes them (only while the tab is visible).
export const POLL_MS = 5_000;
export type RunsState = { runs: Run[]; done: boolean; error?: Error };
export type Archived = "exclude" | "include" | "only";

const listPath = (project: string, q: RunQuery, archived: Archived, extra: Record<string, string | number | null>) =>
  `/projects/${encodeURIComponent(project)}/runs${qs({ status: q.status, tag: q.tag, filter: q.filter, archived: archived === "exclude" ? null : archived, ...extra })}`;

// The first page renders at once; the rest stream in behind it page by page,
// so the table is usable long before a 10,000-run project has fully loaded.
// While any loaded run is running, only the running runs are fetched again
// every few seconds and patched in place (same rows, same order), so scroll
// and selection stay and a 10,000-run table is never reloaded whole.
export function useRuns(project: string, q: RunQuery, orderBy: string, tick: number, archived: Archived = "exclude"): RunsState | null {
  const [state, setState] = useState<RunsState | null>(null);
  const key = JSON.stringify([project, q, orderBy, tick, archived]);
  useEffect(() => {
    const ctl = new AbortController();
    let runs: Run[] = [];
    setState((s) => (s ? { ...s, done: false, error: undefined } : null));
    (async () => {
      let cursor: string | null = null;
      do {
        const page: { runs: Run[]; next_cursor: string | null } = await get(listPath(project, q, archived, { limit: RUNS_PAGE, cursor, order_by: orderBy }), ctl.signal);
        runs = runs.concat(page.runs);
        cursor = page.next_cursor;
        if (ctl.signal.aborted) return;
        setState({ runs, done: !cursor || runs.length >= RUNS_CAP });
      } while (cursor && runs.length < RUNS_CAP);
    })().catch((error: Error) => {
      if (!ctl.signal.aborted) setState({ runs, done: true, error });
    });
    return () => ctl.abort();
  }, [key]);

  const live = useRef(state);
  live.current = state;
  const running = !!state?.done && state.runs.some((r) => r.status === "running");
  useEffect(() => {
    if (!running) return;
    const ctl = new AbortController();
    let busy = false;
    const poll = async () => {
      if (busy || document.visibilityState !== "visible") return;
      busy = true;
      try {
        const patch = await refreshRunning(project, q, archived, live.current?.runs ?? [], ctl.signal);
        if (ctl.signal.aborted || (!patch.changed.size && !patch.added.length)) return;
        setState((s) => {
          if (!s) return s;
          const have = new Set(s.runs.map((r) => r.id));
          // New runs go on top only where the table is newest-first, as they would on reload.
          const added = orderBy === "-created_at" ? patch.added.filter((r) => !have.has(r.id)) : [];
          return { ...s, runs: [...added, ...s.runs.map((r) => patch.changed.get(r.id) ?? r)] };
        });
      } catch {
        // A failed refresh leaves the rows as they were; the next one tries again.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(poll, POLL_MS);
    const onVisible = () => document.visibilityState === "visible" && poll();
    document.addEventListener("visibilitychange", onVisible);
    return () => (ctl.abort(), clearInterval(timer), document.removeEventListener("visibilitychange", onVisible));
  }, [key, running]);
  return state;
}

// The running runs of the query (one page), plus each loaded run that was
// running and is no longer in that page (it finished or crashed): a few GETs.
async function refreshRunning(project: string, q: RunQuery, archived: Archived, loaded: Run[], signal: AbortSignal) {
  const page: { runs: Run[] } = await get(listPath(project, { ...q, status: ["running"] }, archived, { limit: RUNS_PAGE, order_by: "-created_at" }), signal);
  const fresh = new Map(page.runs.map((r) => [r.id, r]));
  const loadedIds = new Set(loaded.map((r) => r.id));
  // A full page holds only the newest running runs: a loaded run older than
  // its last one may still be running, so only newer ones count as ended.
  const full = page.runs.length >= RUNS_PAGE;
  const oldest = full ? page.runs[page.runs.length - 1]!.created_at : "";
  const ended = loaded.filter((r) => r.status === "running" && !fresh.has(r.id) && (!full || r.created_at > oldest)).slice(0, 20);
  for (const r of await Promise.all(ended.map((r) => get<{ run: Run }>(`/runs/${encodeURIComponent(r.id)}`, signal).then((x) => x.run, () => null)))) {
    if (r) fresh.set(r.id, r);
  }
  const changed = new Map<string, Run>();
  for (const r of loaded) {
    const f = fresh.get(r.id);
    if (f && (f.updated_at !== r.updated_at || f.status !== r.status || f.duration_ms !== r.duration_ms || JSON.stringify(f.summary) !== JSON.stringify(r.summary))) changed.set(r.id, f);
  }
  // A status chip or filter that leaves running runs out keeps them out.
  const added = q.status.length && !q.status.includes("running") ? [] : page.runs.filter((r) => !loadedIds.has(r.id));
  return { changed, added };
}
