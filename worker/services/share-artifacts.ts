import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { artifacts, artifactVersions } from "../../schema";
import type { AppEnv } from "../env";
import type { Db } from "../lib/db";
import { notFound } from "../lib/errors";
import { shareScope, type ShareArtifact } from "../lib/share-access";
import { resolveVersion, versionById, type Artifact, type Version } from "./artifacts/versions";
import { getProjectInTeam } from "./projects";
import { frozenSnapshot } from "./share-snapshot-read";

// The version an artifact block names, or null when it names none (any more).
// A block names `name:alias`, `name:v3`, `name:ver_…` within its project, a
// version id, or an artifact id (its latest version).
export async function resolveBlock(db: Db, teamId: string, block: ShareArtifact): Promise<{ artifact: Artifact; version: Version } | null> {
  const project = await getProjectInTeam(db, teamId, block.projectId).catch(() => null);
  if (!project) return null;
  const ref = block.artifact;
  const colon = ref.lastIndexOf(":");
  let artifact: Artifact | undefined;
  let versionRef = "latest";
  if (colon > 0) {
    [artifact] = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.teamId, teamId), eq(artifacts.projectId, project.id), eq(artifacts.name, ref.slice(0, colon))))
      .limit(1);
    versionRef = ref.slice(colon + 1);
  } else if (ref.startsWith("ver_")) {
    const [v] = await db
      .select({ artifactId: artifactVersions.artifactId })
      .from(artifactVersions)
      .where(and(eq(artifactVersions.teamId, teamId), eq(artifactVersions.id, ref)))
      .limit(1);
    if (v) [artifact] = await db.select().from(artifacts).where(and(eq(artifacts.teamId, teamId), eq(artifacts.id, v.artifactId))).limit(1);
    versionRef = ref;
  } else {
    [artifact] = await db.select().from(artifacts).where(and(eq(artifacts.teamId, teamId), eq(artifacts.id, ref))).limit(1);
  }
  if (!artifact || artifact.projectId !== project.id) return null;
  const version = await resolveVersion(db, teamId, artifact, versionRef).catch(() => null);
  return version ? { artifact, version } : null;
}

// A frozen link's artifact blocks, as resolved when it was shared (same order as ShareScope.artifacts).
export type FrozenArtifact = { artifactId: string; ref: string; versionId: string } | null;

export async function resolveBlocks(db: Db, teamId: string, blocks: readonly ShareArtifact[]): Promise<FrozenArtifact[]> {
  const out: FrozenArtifact[] = [];
  for (const b of blocks) {
    const r = await resolveBlock(db, teamId, b);
    const colon = b.artifact.lastIndexOf(":");
    out.push(r ? { artifactId: r.artifact.id, ref: colon > 0 ? b.artifact.slice(colon + 1) : "latest", versionId: r.version.id } : null);
  }
  return out;
}

// A frozen link asking for its block's own ref (`latest`, an alias) gets the
// version that ref named when shared, wherever the alias points now.
export async function frozenArtifactVersion(c: Context<AppEnv>, artifact: Artifact, ref: string): Promise<Version | null> {
  const frozen = await frozenSnapshot(c);
  const hit = frozen?.manifest.artifacts?.find((a) => a?.artifactId === artifact.id && a.ref === ref);
  return hit ? versionById(c.get("db"), c.get("principal").teamId, artifact.id, hit.versionId) : null;
}

// What a share link may read of one artifact version: null for team
// credentials (everything), else the files its report's artifact blocks name
// (`paths` null: every file of the version). A version no block names is a 404.
export async function shareArtifactAccess(c: Context<AppEnv>, artifact: Artifact, version: Version): Promise<{ paths: Set<string> | null } | null> {
  const scope = shareScope(c);
  if (!scope) return null;
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  // Frozen links: the versions their blocks named when shared; live links: now.
  const frozen = (await frozenSnapshot(c))?.manifest.artifacts;
  const paths = new Set<string>();
  let all = false;
  let named = false;
  for (const [i, block] of scope.artifacts.entries()) {
    const versionId = frozen ? frozen[i]?.versionId : (await resolveBlock(db, teamId, block))?.version.id;
    if (versionId !== version.id) continue;
    named = true;
    if (block.path === null) all = true;
    else paths.add(block.path);
  }
  if (!named) throw notFound("artifact");
  return { paths: all ? null : paths };
}

// Lineage shown to a link: only the runs its report names.
export function shareLineage<T extends { id: string }>(c: Context<AppEnv>, lineage: { produced_by: T | null; used_by: T[] }) {
  const scope = shareScope(c);
  if (!scope) return lineage;
  return {
    produced_by: lineage.produced_by && scope.runIds.has(lineage.produced_by.id) ? lineage.produced_by : null,
    used_by: lineage.used_by.filter((r) => scope.runIds.has(r.id)),
  };
}
