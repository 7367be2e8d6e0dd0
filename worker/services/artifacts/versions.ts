import { and, asc, desc, eq, sql } from "drizzle-orm";
import { artifactAliases, artifactFiles, artifacts, artifactVersions, runArtifacts } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { assertJsonObject } from "../../lib/validation";
import type { Store } from "../../lib/presign";
import { getProjectInTeam } from "../projects";
import { getRunInTeam } from "../run-lookup";
import { planUploads, registerObjects, uniqueObjects, verifyObjects, type FileEntry, type Tx, type Upload } from "./objects";

export type Artifact = typeof artifacts.$inferSelect;
export type Version = typeof artifactVersions.$inferSelect;
export const LATEST = "latest";

export async function getArtifactInTeam(db: Db | Tx, teamId: string, projectRef: string, name: string): Promise<Artifact> {
  const project = await getProjectInTeam(db as Db, teamId, projectRef);
  const [row] = await db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.teamId, teamId), eq(artifacts.projectId, project.id), eq(artifacts.name, name)))
    .limit(1);
  if (!row) throw notFound("artifact");
  return row;
}

export type AnnounceInput = {
  type: string;
  files: FileEntry[];
  metadata?: Record<string, unknown>;
  description?: string;
  aliases?: string[];
  run_id?: string;
};

// Step one of an upload: record a pending version and its files, and answer
// with presigned URLs for the bytes the team does not store yet.
export async function announceVersion(db: Db, store: Store, teamId: string, projectRef: string, name: string, input: AnnounceInput) {
  if (input.metadata) assertJsonObject("metadata", input.metadata);
  const project = await getProjectInTeam(db, teamId, projectRef);
  if (input.run_id) await getRunInTeam(db, teamId, input.run_id);
  const unique = uniqueObjects(input.files);
  const { artifact, version, rows } = await db.transaction(async (tx) => {
    await tx.insert(artifacts).values({ teamId, id: newId("art"), projectId: project.id, name, type: input.type }).onConflictDoNothing();
    const [artifact] = await tx
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.teamId, teamId), eq(artifacts.projectId, project.id), eq(artifacts.name, name)));
    if (!artifact) throw notFound("artifact");
    if (artifact.type !== input.type) {
      throw new ApiError("conflict", `type: artifact "${name}" has type "${artifact.type}", not "${input.type}"`);
    }
    const [version] = await tx
      .insert(artifactVersions)
      .values({
        teamId,
        id: newId("ver"),
        artifactId: artifact.id,
        size: input.files.reduce((n, f) => n + f.size, 0),
        fileCount: input.files.length,
        metadata: input.metadata ?? {},
        description: input.description ?? "",
        pendingAliases: [...new Set(input.aliases ?? [])].filter((a) => a !== LATEST),
      })
      .returning();
    if (input.files.length) {
      await tx.insert(artifactFiles).values(input.files.map((f) => ({ teamId, versionId: version!.id, ...f })));
    }
    if (input.run_id) {
      await tx.insert(runArtifacts).values({ teamId, runId: input.run_id, versionId: version!.id, direction: "output" });
    }
    return { artifact, version: version!, rows: await registerObjects(tx, teamId, unique) };
  });
  const uploads: Upload[] = await planUploads(db, store, teamId, rows);
  return { artifact, version, uploads };
}

// Step two: every object must be in the store with its announced size before
// the version gets a number and `latest` moves to it.
export async function commitVersion(db: Db, store: Store, teamId: string, projectRef: string, name: string, versionId: string) {
  const artifact = await getArtifactInTeam(db, teamId, projectRef, name);
  const version = await versionById(db, teamId, artifact.id, versionId);
  if (version.state === "committed") return { artifact, version };
  const files = await db
    .select({ sha256: artifactFiles.sha256 })
    .from(artifactFiles)
    .where(and(eq(artifactFiles.teamId, teamId), eq(artifactFiles.versionId, version.id)));
  await verifyObjects(db, store, teamId, [...new Set(files.map((f) => f.sha256))]);
  const committed = await db.transaction(async (tx) => {
    // The artifact row lock orders concurrent commits, so numbers are dense.
    const [bumped] = await tx
      .update(artifacts)
      .set({ lastVersion: sql`${artifacts.lastVersion} + 1`, updatedAt: new Date() })
      .where(and(eq(artifacts.teamId, teamId), eq(artifacts.id, artifact.id)))
      .returning();
    const [row] = await tx
      .update(artifactVersions)
      .set({ state: "committed", version: bumped!.lastVersion, committedAt: new Date() })
      .where(and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.id, version.id), eq(artifactVersions.state, "pending")))
      .returning();
    if (!row) {
      tx.rollback();
      return null;
    }
    for (const alias of [LATEST, ...row.pendingAliases]) await pointAlias(tx, teamId, artifact.id, alias, row.id);
    return row;
  }).catch((err) => {
    if ((err as Error)?.name === "TransactionRollbackError") return null;
    throw err;
  });
  // Lost a race with a concurrent commit of the same version: report its result.
  return { artifact, version: committed ?? (await versionById(db, teamId, artifact.id, versionId)) };
}

export async function pointAlias(tx: Db | Tx, teamId: string, artifactId: string, alias: string, versionId: string) {
  await tx
    .insert(artifactAliases)
    .values({ teamId, artifactId, alias, versionId })
    .onConflictDoUpdate({
      target: [artifactAliases.teamId, artifactAliases.artifactId, artifactAliases.alias],
      set: { versionId, updatedAt: new Date() },
    });
}

export async function versionById(db: Db | Tx, teamId: string, artifactId: string, versionId: string): Promise<Version> {
  const [row] = await db
    .select()
    .from(artifactVersions)
    .where(and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.artifactId, artifactId), eq(artifactVersions.id, versionId)));
  if (!row) throw notFound("artifact version");
  return row;
}

/** `v3`, an alias such as `latest` or `best`, or a version id; committed versions only. */
export async function resolveVersion(db: Db, teamId: string, artifact: Artifact, ref: string): Promise<Version> {
  const base = and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.artifactId, artifact.id), eq(artifactVersions.state, "committed"));
  const number = /^v(\d{1,9})$/.exec(ref);
  let row: Version | undefined;
  if (number) {
    [row] = await db.select().from(artifactVersions).where(and(base, eq(artifactVersions.version, Number(number[1]))));
  } else if (ref.startsWith("ver_")) {
    [row] = await db.select().from(artifactVersions).where(and(base, eq(artifactVersions.id, ref)));
  } else {
    [row] = await db
      .select({ v: artifactVersions })
      .from(artifactAliases)
      .innerJoin(artifactVersions, and(eq(artifactVersions.teamId, artifactAliases.teamId), eq(artifactVersions.id, artifactAliases.versionId)))
      .where(and(base, eq(artifactAliases.teamId, teamId), eq(artifactAliases.artifactId, artifact.id), eq(artifactAliases.alias, ref)))
      .then((rows) => rows.map((r) => r.v));
  }
  if (!row) throw notFound(`artifact version "${artifact.name}:${ref}"`);
  return row;
}

export async function listVersions(db: Db, teamId: string, artifactId: string): Promise<Version[]> {
  return db
    .select()
    .from(artifactVersions)
    .where(and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.artifactId, artifactId), eq(artifactVersions.state, "committed")))
    .orderBy(desc(artifactVersions.version))
    .limit(1000);
}

export async function listArtifacts(db: Db, teamId: string, projectRef: string, type?: string): Promise<Artifact[]> {
  const project = await getProjectInTeam(db, teamId, projectRef);
  return db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.teamId, teamId), eq(artifacts.projectId, project.id), type ? eq(artifacts.type, type) : undefined))
    .orderBy(asc(artifacts.name))
    .limit(1000);
}

export async function aliasesByVersion(db: Db, teamId: string, artifactId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ alias: artifactAliases.alias, versionId: artifactAliases.versionId })
    .from(artifactAliases)
    .where(and(eq(artifactAliases.teamId, teamId), eq(artifactAliases.artifactId, artifactId)))
    .orderBy(asc(artifactAliases.alias));
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.versionId, [...(out.get(r.versionId) ?? []), r.alias]);
  return out;
}

export async function versionFiles(db: Db, teamId: string, versionId: string) {
  return db
    .select({ path: artifactFiles.path, sha256: artifactFiles.sha256, size: artifactFiles.size })
    .from(artifactFiles)
    .where(and(eq(artifactFiles.teamId, teamId), eq(artifactFiles.versionId, versionId)))
    .orderBy(asc(artifactFiles.path));
}

// The version's objects are freed by garbage collection once nothing else names them.
// `also` runs in the same transaction (the audit row), so both commit or neither.
export async function deleteVersion(db: Db, teamId: string, artifact: Artifact, version: Version, also?: (tx: Tx) => Promise<void>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(artifactVersions).where(and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.id, version.id)));
    const [newest] = await tx
      .select({ id: artifactVersions.id })
      .from(artifactVersions)
      .where(and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.artifactId, artifact.id), eq(artifactVersions.state, "committed")))
      .orderBy(desc(artifactVersions.version))
      .limit(1);
    if (newest) await pointAlias(tx, teamId, artifact.id, LATEST, newest.id);
    await also?.(tx);
  });
}
