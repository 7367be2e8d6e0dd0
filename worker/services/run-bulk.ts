import { and, eq, inArray, sql } from "drizzle-orm";
import { runs } from "../../schema";
import type { Db, Writer } from "../lib/db";
import { ApiError } from "../lib/errors";
import { getProjectInTeam } from "./projects";

export const MAX_BULK_RUNS = 1000;
const MAX_TAGS = 64;

const textArray = (xs: string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

// One change applied to many runs at once, from the runs table's selection.
// delete is the soft delete (deleted_at), undone by restore.
export type BulkAction =
  | { action: "tag" | "untag"; tags: string[] }
  | { action: "move"; project: string }
  | { action: "archive" | "unarchive" | "delete" | "restore" };

export type BulkResult = { updated: number; project_id?: string };

// Atomic per call: the runs are locked, every id must be a run of the team in
// the project (else 404 naming the first missing id, nothing changed), then one UPDATE.
// `record` writes the audit event in the same transaction, so it commits with the change.
export async function bulkUpdateRuns(
  db: Db,
  teamId: string,
  projectRef: string,
  runIds: string[],
  change: BulkAction,
  record: (tx: Writer, result: BulkResult & { ids: string[] }) => Promise<void>,
): Promise<BulkResult> {
  const ids = [...new Set(runIds)];
  if (ids.length === 0) throw new ApiError("invalid_argument", "run_ids: give at least one run id");
  if (ids.length > MAX_BULK_RUNS) throw new ApiError("invalid_argument", `run_ids: at most ${MAX_BULK_RUNS} runs per call`);
  // A project outside the team is a 404 like a run outside it.
  const project = await getProjectInTeam(db, teamId, projectRef);
  const target = change.action === "move" ? await getProjectInTeam(db, teamId, change.project) : null;
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.teamId, teamId), eq(runs.projectId, project.id), inArray(runs.id, ids)))
      .for("update");
    if (found.length !== ids.length) {
      const have = new Set(found.map((r) => r.id));
      throw new ApiError("not_found", `run not found in this project: ${ids.find((id) => !have.has(id))}`);
    }
    const set = (() => {
      switch (change.action) {
        case "tag":
          return { tags: sql`array(select distinct t from unnest(${runs.tags} || ${textArray(change.tags)}) t order by t)` };
        case "untag":
          return { tags: sql`array(select t from unnest(${runs.tags}) t where t <> all(${textArray(change.tags)}))` };
        case "move":
          return { projectId: target!.id };
        case "archive":
          return { archivedAt: sql`coalesce(${runs.archivedAt}, now())` };
        case "unarchive":
          return { archivedAt: null };
        case "delete":
          return { deletedAt: sql`coalesce(${runs.deletedAt}, now())` };
        case "restore":
          return { deletedAt: null };
      }
    })();
    const done = await tx
      .update(runs)
      .set({ ...set, updatedAt: sql`now()` } as Record<string, unknown>)
      .where(and(eq(runs.teamId, teamId), inArray(runs.id, ids)))
      .returning({ id: runs.id, tagCount: sql<number>`cardinality(${runs.tags})` });
    // The same cap as one run's PATCH; throwing rolls the whole call back.
    const over = done.find((r) => Number(r.tagCount) > MAX_TAGS);
    if (over) throw new ApiError("invalid_argument", `tags: run ${over.id} would have more than ${MAX_TAGS} tags`);
    const result = { updated: done.length, ...(target ? { project_id: target.id } : {}) };
    await record(tx, { ...result, ids });
    return result;
  });
}
