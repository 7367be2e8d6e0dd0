import { and, asc, eq, isNull } from "drizzle-orm";
import { projects } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";

export type Project = typeof projects.$inferSelect;

const isId = (ref: string) => ref.startsWith("prj_");

// The one tenancy check for projects: by id or by name, inside the team, or 404.
export async function getProjectInTeam(db: Db, teamId: string, ref: string): Promise<Project> {
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.teamId, teamId), isId(ref) ? eq(projects.id, ref) : eq(projects.name, ref)))
    .limit(1);
  if (!row) throw notFound("project");
  return row;
}

// Projects soft-deleted through MLflow's API stay out of the native list (they
// are restorable there, and their names stay taken).
export async function listProjects(db: Db, teamId: string): Promise<Project[]> {
  return db
    .select()
    .from(projects)
    .where(and(eq(projects.teamId, teamId), isNull(projects.deletedAt)))
    .orderBy(asc(projects.name));
}

export async function createProject(db: Db, teamId: string, input: { name: string; description?: string }): Promise<Project> {
  const [row] = await db
    .insert(projects)
    .values({ teamId, id: newId("prj"), name: input.name, description: input.description ?? "" })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ApiError("conflict", `name: a project named "${input.name}" already exists in this team`);
  return row;
}

// The SDK's init({ project }) names a project that may not exist yet.
export async function ensureProject(db: Db, teamId: string, name: string): Promise<Project> {
  await db.insert(projects).values({ teamId, id: newId("prj"), name }).onConflictDoNothing();
  return getProjectInTeam(db, teamId, name);
}

export async function updateProject(
  db: Db,
  teamId: string,
  ref: string,
  patch: { name?: string; description?: string },
): Promise<Project> {
  const current = await getProjectInTeam(db, teamId, ref);
  try {
    const [row] = await db
      .update(projects)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(projects.teamId, teamId), eq(projects.id, current.id)))
      .returning();
    if (!row) throw notFound("project");
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `name: a project named "${patch.name}" already exists`);
    throw err;
  }
}

export async function deleteProject(db: Db, teamId: string, ref: string): Promise<Project> {
  const current = await getProjectInTeam(db, teamId, ref);
  await db.delete(projects).where(and(eq(projects.teamId, teamId), eq(projects.id, current.id)));
  return current;
}

export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 3 && e; i++) {
    if ((e as { code?: string }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
