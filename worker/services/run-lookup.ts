import { and, eq } from "drizzle-orm";
import { runs } from "../../schema";
import type { Db } from "../lib/db";
import { notFound } from "../lib/errors";

export type Run = typeof runs.$inferSelect;

// The one tenancy check for runs, shared by runs, metrics, console and artifacts.
export async function getRunInTeam(db: Db, teamId: string, runId: string): Promise<Run> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId)))
    .limit(1);
  if (!row) throw notFound("run");
  return row;
}
