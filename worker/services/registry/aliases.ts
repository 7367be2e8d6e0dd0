import { and, eq, inArray, sql } from "drizzle-orm";
import { modelAliases } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { getModel } from "./models";
import { canonicalStage, fromRaw, getVersion, STAGES, type ModelVersion } from "./versions";

// Aliases (champion → 3) and the older stage view of a model's versions.

const bad = (msg: string) => new ApiError("invalid_argument", msg);

export function checkAlias(alias: string, forWrite: boolean) {
  if (!alias) throw bad("Registered model alias name cannot be empty.");
  if (!/^[\w-]*$/.test(alias)) {
    throw bad(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  if (alias.length > 255) throw bad("'Registered model alias name' exceeds the maximum length of 255 characters");
  if (!forWrite) return;
  // Reserved, as models:/<name>@latest and models:/<name>/v3 mean something already.
  if (alias.toLowerCase() === "latest") throw bad("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) throw bad(`Version alias name '${alias}' is reserved.`);
}

export async function setAlias(db: Db, teamId: string, name: string, alias: string, version: string): Promise<void> {
  checkAlias(alias, true);
  const v = await getVersion(db, teamId, name, version);
  await db
    .insert(modelAliases)
    .values({ teamId, modelId: v.modelId, alias, version: v.version })
    .onConflictDoUpdate({ target: [modelAliases.teamId, modelAliases.modelId, modelAliases.alias], set: { version: v.version } });
}

// A missing alias is not an error (as in MLflow); a missing model is.
export async function deleteAlias(db: Db, teamId: string, name: string, alias: string): Promise<void> {
  checkAlias(alias, false);
  const model = await getModel(db, teamId, name);
  await db.delete(modelAliases).where(and(eq(modelAliases.teamId, teamId), eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)));
}

export async function versionByAlias(db: Db, teamId: string, name: string, alias: string): Promise<ModelVersion> {
  checkAlias(alias, false);
  const model = await getModel(db, teamId, name);
  if (alias.toLowerCase() === "latest") {
    const top = (await latestVersions(db, teamId, [model.id])).at(-1);
    if (!top) throw new ApiError("not_found", `Latest version not found for model ${name}.`);
    return top;
  }
  const [row] = await db
    .select()
    .from(modelAliases)
    .where(and(eq(modelAliases.teamId, teamId), eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)))
    .limit(1);
  // MLflow answers a missing alias with INVALID_PARAMETER_VALUE, not a 404.
  if (!row) throw bad(`Registered model alias ${alias} not found.`);
  return getVersion(db, teamId, name, row.version);
}

// Each model's aliases, for the answers that list them.
export async function aliasesOf(db: Db, teamId: string, modelIds: string[]): Promise<Map<string, { alias: string; version: number }[]>> {
  const out = new Map<string, { alias: string; version: number }[]>();
  if (!modelIds.length) return out;
  const rows = await db
    .select()
    .from(modelAliases)
    .where(and(eq(modelAliases.teamId, teamId), inArray(modelAliases.modelId, modelIds)))
    .orderBy(modelAliases.alias);
  for (const r of rows) out.set(r.modelId, [...(out.get(r.modelId) ?? []), { alias: r.alias, version: r.version }]);
  return out;
}

// The newest version in each stage (or in each of the stages asked for), per model.
export async function latestVersions(db: Db, teamId: string, modelIds: string[], stages?: string[]): Promise<ModelVersion[]> {
  if (!modelIds.length) return [];
  const wanted = stages?.length ? [...new Set(stages.map(canonicalStage))] : [...STAGES];
  const res = await db.execute<Record<string, unknown>>(sql`
    select distinct on (mv.model_id, mv.stage) mv.*, rm.name
    from model_versions mv
    join registered_models rm on rm.team_id = mv.team_id and rm.id = mv.model_id
    where mv.team_id = ${teamId}
      and mv.model_id in (${sql.join(modelIds.map((id) => sql`${id}`), sql`, `)})
      and mv.stage in (${sql.join(wanted.map((s) => sql`${s}`), sql`, `)})
    order by mv.model_id, mv.stage, mv.version desc`);
  return res.rows.map(fromRaw).sort((a, b) => a.version - b.version);
}

export async function latestVersionsByName(db: Db, teamId: string, name: string, stages?: string[]) {
  const model = await getModel(db, teamId, name);
  return latestVersions(db, teamId, [model.id], stages);
}
