import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { projects, runs } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Project } from "./projects";

// MLflow's experiment lifecycle on projects: free-text names, key-value tags,
// soft delete and restore. Every statement filters by the team.

// By exact name, deleted or not. (getProjectInTeam reads "prj_..." as an id;
// an MLflow name is only ever a name.)
export async function findProjectByName(db: Db, teamId: string, name: string): Promise<Project | null> {
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.teamId, teamId), eq(projects.name, name)))
    .limit(1);
  return row ?? null;
}

export async function createExperimentProject(
  db: Db,
  teamId: string,
  input: { name: string; tags: Record<string, string> },
): Promise<Project> {
  const [row] = await db
    .insert(projects)
    .values({ teamId, id: newId("prj"), name: input.name, tags: input.tags })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  // A soft-deleted experiment keeps its name, as in MLflow; say so, since it
  // is invisible to a default search.
  const taken = await findProjectByName(db, teamId, input.name);
  if (taken?.deletedAt) {
    throw new ApiError(
      "conflict",
      `Experiment '${input.name}' already exists in deleted state. Restore it (experiment_id ${taken.id}) or rename it to use this name again.`,
    );
  }
  throw new ApiError("conflict", `Experiment(name=${input.name}) already exists.`);
}

// Soft delete or restore, with the experiment's runs, as MLflow's store does.
// Restore brings back only the runs deleted together with the experiment (same
// timestamp), not runs that were deleted one by one before: MLflow restores
// those too, which resurrects runs a user had thrown away. Returns false when
// the experiment was not in the expected state (MLflow: does not exist).
export async function setProjectDeleted(db: Db, teamId: string, projectId: string, deleted: boolean): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inTeam = and(eq(projects.teamId, teamId), eq(projects.id, projectId));
    const [current] = await tx
      .select({ deletedAt: projects.deletedAt })
      .from(projects)
      .where(and(inTeam, deleted ? isNull(projects.deletedAt) : isNotNull(projects.deletedAt)))
      .for("update");
    if (!current) return false;
    const now = new Date();
    await tx
      .update(projects)
      .set({ deletedAt: deleted ? now : null, updatedAt: now })
      .where(inTeam);
    const runsOfProject = and(eq(runs.teamId, teamId), eq(runs.projectId, projectId));
    if (deleted) {
      await tx.update(runs).set({ deletedAt: now }).where(and(runsOfProject, isNull(runs.deletedAt)));
    } else {
      await tx.update(runs).set({ deletedAt: null }).where(and(runsOfProject, eq(runs.deletedAt, current.deletedAt!)));
    }
    return true;
  });
}

// Last write wins, as MLflow's session.merge. Only active experiments: the
// caller has checked the state; the filter keeps a concurrent delete out.
export async function setProjectTag(db: Db, teamId: string, projectId: string, key: string, value: string): Promise<boolean> {
  const rows = await db
    .update(projects)
    .set({ tags: sql`${projects.tags} || jsonb_build_object(${key}::text, ${value}::text)` })
    .where(and(eq(projects.teamId, teamId), eq(projects.id, projectId), isNull(projects.deletedAt)))
    .returning({ id: projects.id });
  return rows.length > 0;
}

// False when the experiment has no such tag.
export async function deleteProjectTag(db: Db, teamId: string, projectId: string, key: string): Promise<boolean> {
  const rows = await db
    .update(projects)
    .set({ tags: sql`${projects.tags} - ${key}::text` })
    .where(
      and(
        eq(projects.teamId, teamId),
        eq(projects.id, projectId),
        isNull(projects.deletedAt),
        sql`(${projects.tags} ->> ${key}::text) is not null`,
      ),
    )
    .returning({ id: projects.id });
  return rows.length > 0;
}
