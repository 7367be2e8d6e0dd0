import { useEffect, useState } from "preact/hooks";
import { get, qs } from "./api";
import type { RunQuery } from "./filter";
import type { Run } from "./types";

export const RUNS_PAGE = 200;
export const RUNS_CAP = 20_000;
export type RunsState = { runs: Run[]; done: boolean; error?: Error };

// The first page renders at once; the rest stream in behind it page by page,
// so the table is usable long before a 10,000-run project has fully loaded.
export function useRuns(project: string, q: RunQuery, orderBy: string, tick: number): RunsState | null {
  const [state, setState] = useState<RunsState | null>(null);
  const key = JSON.stringify([project, q, orderBy, tick]);
  useEffect(() => {
    const ctl = new AbortController();
    let runs: Run[] = [];
    setState((s) => (s ? { ...s, done: false, error: undefined } : null));
    (async () => {
      let cursor: string | null = null;
      do {
        const page: { runs: Run[]; next_cursor: string | null } = await get(
          `/projects/${encodeURIComponent(project)}/runs${qs({ limit: RUNS_PAGE, cursor, order_by: orderBy, status: q.status, tag: q.tag, filter: q.filter })}`,
          ctl.signal,
        );
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
  return state;
}
