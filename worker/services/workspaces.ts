import { and, eq } from "drizzle-orm";
import { workspaces } from "../../schema";
import type { Db } from "../lib/db";
import { getProjectInTeam } from "./projects";

export type WorkspaceSettings = Record<string, unknown>;
export type Workspace = { projectId: string; settings: WorkspaceSettings; updatedAt: Date | null };

// A member's saved chart workspace for one project; a member who never saved
// one gets empty settings (the dashboard's defaults). The project lookup is the
// tenancy check: another team's project is a 404.
export async function getWorkspace(db: Db, teamId: string, userId: string, projectRef: string): Promise<Workspace> {
  const project = await getProjectInTeam(db, teamId, projectRef);
  const [row] = await db
    .select({ settings: workspaces.settings, updatedAt: workspaces.updatedAt })
    .from(workspaces)
    .where(and(eq(workspaces.teamId, teamId), eq(workspaces.projectId, project.id), eq(workspaces.userId, userId)))
    .limit(1);
  return { projectId: project.id, settings: row?.settings ?? {}, updatedAt: row?.updatedAt ?? null };
}

// Replaces the member's settings whole (the dashboard sends its full view).
export async function saveWorkspace(db: Db, teamId: string, userId: string, projectRef: string, settings: WorkspaceSettings): Promise<Workspace> {
  const project = await getProjectInTeam(db, teamId, projectRef);
  const now = new Date();
  await db
    .insert(workspaces)
    .values({ teamId, projectId: project.id, userId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: [workspaces.teamId, workspaces.projectId, workspaces.userId], set: { settings, updatedAt: now } });
  return { projectId: project.id, settings, updatedAt: now };
}
