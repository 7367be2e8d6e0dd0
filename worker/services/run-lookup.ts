import { and, eq } from "drizzle-orm";
import { runs } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";

export type Run = typeof runs.$inferSelect;

// The one tenancy check for runs, shared by runs, metrics, console and artifacts.
// Soft-deleted runs (deleted_at set) are found too: they can be read and restored.
export async function getRunInTeam(db: Db, teamId: string, runId: string): Promise<Run> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId)))
    .limit(1);
  if (!row) throw notFound("run");
  return row;
}

// Writes to a soft-deleted run are refused until it is restored (MLflow's
// rule, with its message, for both doors).
export const inactiveRun = (runId: string) =>
  new ApiError("invalid_argument", `The run ${runId} must be in the 'active' state. Current state is deleted.`);

export async function getActiveRunInTeam(db: Db, teamId: string, runId: string): Promise<Run> {
  const run = await getRunInTeam(db, teamId, runId);
  if (run.deletedAt) throw inactiveRun(runId);
  return run;
}
