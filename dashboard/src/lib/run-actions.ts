import { api } from "./api";

export type BulkChange =
  | { action: "tag" | "untag"; tags: string[] }
  | { action: "move"; project: string }
  | { action: "archive" | "unarchive" | "delete" | "restore" };

// One call for any number of runs (the API takes up to 1,000 at once, all or nothing).
// `project` is the project's id or name: every run must be in it.
export async function bulkRuns(project: string, runIds: string[], change: BulkChange): Promise<number> {
  let n = 0;
  for (let i = 0; i < runIds.length; i += 1000) {
    const r = await api<{ updated: number }>("POST", `/projects/${encodeURIComponent(project)}/runs/bulk`, { run_ids: runIds.slice(i, i + 1000), ...change });
    n += r.updated;
  }
  return n;
}
