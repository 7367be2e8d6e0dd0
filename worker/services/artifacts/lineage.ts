import { and, desc, eq, inArray } from "drizzle-orm";
import { artifacts, artifactVersions, runArtifacts, runs } from "../../../schema";
import type { Db } from "../../lib/db";
import { getRunInTeam } from "../run-lookup";
import { getArtifactInTeam, resolveVersion, type Version } from "./versions";

const LIMIT = 500;

// A run records a version it used (the SDK's useArtifact does this), so a
// dataset can be traced to every run that read it.
export async function recordUse(db: Db, teamId: string, runId: string, projectRef: string, name: string, ref: string): Promise<Version> {
  await getRunInTeam(db, teamId, runId);
  const artifact = await getArtifactInTeam(db, teamId, projectRef, name);
  const version = await resolveVersion(db, teamId, artifact, ref);
  await db.insert(runArtifacts).values({ teamId, runId, versionId: version.id, direction: "input" }).onConflictDoNothing();
  return version;
}

export type LineageVersion = { artifact: string; type: string; project_id: string; version_id: string; version: number };

/** What a run used and what it produced (committed versions only). */
export async function runLineage(db: Db, teamId: string, runId: string) {
  await getRunInTeam(db, teamId, runId);
  const rows = await db
    .select({
      direction: runArtifacts.direction,
      artifact: artifacts.name,
      type: artifacts.type,
      projectId: artifacts.projectId,
      versionId: artifactVersions.id,
      version: artifactVersions.version,
    })
    .from(runArtifacts)
    .innerJoin(artifactVersions, and(eq(artifactVersions.teamId, runArtifacts.teamId), eq(artifactVersions.id, runArtifacts.versionId)))
    .innerJoin(artifacts, and(eq(artifacts.teamId, artifactVersions.teamId), eq(artifacts.id, artifactVersions.artifactId)))
    .where(and(eq(runArtifacts.teamId, teamId), eq(runArtifacts.runId, runId), eq(artifactVersions.state, "committed")))
    .orderBy(desc(runArtifacts.createdAt))
    .limit(LIMIT);
  const shape = (r: (typeof rows)[number]): LineageVersion => ({
    artifact: r.artifact,
    type: r.type,
    project_id: r.projectId,
    version_id: r.versionId,
    version: r.version ?? 0,
  });
  return { inputs: rows.filter((r) => r.direction === "input").map(shape), outputs: rows.filter((r) => r.direction === "output").map(shape) };
}

/** Which run produced this version, and which runs used it. */
export async function versionLineage(db: Db, teamId: string, versionId: string) {
  const rows = await db
    .select({ direction: runArtifacts.direction, runId: runs.id, runName: runs.name, projectId: runs.projectId })
    .from(runArtifacts)
    .innerJoin(runs, and(eq(runs.teamId, runArtifacts.teamId), eq(runs.id, runArtifacts.runId)))
    .where(and(eq(runArtifacts.teamId, teamId), eq(runArtifacts.versionId, versionId), inArray(runArtifacts.direction, ["input", "output"])))
    .orderBy(desc(runArtifacts.createdAt))
    .limit(LIMIT);
  const shape = (r: (typeof rows)[number]) => ({ id: r.runId, name: r.runName, project_id: r.projectId });
  const producer = rows.find((r) => r.direction === "output");
  return { produced_by: producer ? shape(producer) : null, used_by: rows.filter((r) => r.direction === "input").map(shape) };
}
