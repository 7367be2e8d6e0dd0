import type { Context } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "../lib/errors";
import { shareScope } from "../lib/share-access";
import { resolveVersion, type Artifact, type Version } from "./artifacts/versions";
import { getProjectInTeam } from "./projects";

// What a share link may read of one artifact version: null for team
// credentials (everything), else the files its report's artifact blocks name
// (`paths` null: every file of the version). A version no block names is a 404.
export async function shareArtifactAccess(c: Context<AppEnv>, artifact: Artifact, version: Version): Promise<{ paths: Set<string> | null } | null> {
  const scope = shareScope(c);
  if (!scope) return null;
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const paths = new Set<string>();
  let all = false;
  let named = false;
  for (const block of scope.artifacts) {
    const project = await getProjectInTeam(db, teamId, block.projectId).catch(() => null);
    if (!project || project.id !== artifact.projectId) continue;
    if (!(await blockNames(c, block.artifact, artifact, version))) continue;
    named = true;
    if (block.path === null) all = true;
    else paths.add(block.path);
  }
  if (!named) throw notFound("artifact");
  return { paths: all ? null : paths };
}

// A block names `name:alias`, `name:v3`, `name:ver_…`, a version id, or an
// artifact id (its latest version). Aliases resolve now: a block naming
// `model:production` follows the alias, as the report does for its members.
async function blockNames(c: Context<AppEnv>, ref: string, artifact: Artifact, version: Version): Promise<boolean> {
  if (ref === version.id) return true;
  const colon = ref.lastIndexOf(":");
  const [name, versionRef] = colon > 0 ? [ref.slice(0, colon), ref.slice(colon + 1)] : [null, "latest"];
  if (name === null ? ref !== artifact.id : name !== artifact.name) return false;
  const named = await resolveVersion(c.get("db"), c.get("principal").teamId, artifact, versionRef).catch(() => null);
  return named?.id === version.id;
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
