import { and, asc, eq, sql } from "drizzle-orm";
import { runDatasets } from "../../schema";
import type { Db } from "../lib/db";
import { getRunInTeam } from "./run-lookup";

// Datasets a run used (MLflow's log-inputs): one row per (run, name, digest);
// logging the same dataset again updates its context tags.

export type RunDataset = typeof runDatasets.$inferSelect;
export type NewRunDataset = {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string | null;
  profile?: string | null;
  tags?: Record<string, string>;
};

export const MAX_DATASETS_PER_CALL = 100;

export async function addRunDatasets(db: Db, teamId: string, runId: string, inputs: NewRunDataset[]): Promise<void> {
  await getRunInTeam(db, teamId, runId);
  if (inputs.length === 0) return;
  await db
    .insert(runDatasets)
    .values(inputs.map((d) => ({ teamId, runId, ...d, schema: d.schema ?? null, profile: d.profile ?? null, tags: d.tags ?? {} })))
    .onConflictDoUpdate({
      target: [runDatasets.teamId, runDatasets.runId, runDatasets.name, runDatasets.digest],
      set: { tags: sql`${runDatasets.tags} || excluded.tags` },
    });
}

export async function listRunDatasets(db: Db, teamId: string, runId: string): Promise<RunDataset[]> {
  return db
    .select()
    .from(runDatasets)
    .where(and(eq(runDatasets.teamId, teamId), eq(runDatasets.runId, runId)))
    .orderBy(asc(runDatasets.createdAt), asc(runDatasets.name));
}
