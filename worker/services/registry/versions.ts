import { and, eq, sql, type SQL } from "drizzle-orm";
import { modelVersions, registeredModels } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { noteModelVersion } from "../logged-models";
import { decodeToken, encodeToken, numberCondition, parseFilter, parseOrderBy, tagCondition, textCondition } from "./filter";
import { checkTag, getModel, type RegisteredModel } from "./models";
import { checkVersionSource } from "./sources";

export type ModelVersionRow = typeof modelVersions.$inferSelect;
// A version with its model's name, as every MLflow answer shows it.
export type ModelVersion = ModelVersionRow & { name: string };

const bad = (msg: string) => new ApiError("invalid_argument", msg);

export const STAGES = ["None", "Staging", "Production", "Archived"] as const;

export function canonicalStage(stage: string): (typeof STAGES)[number] {
  const s = STAGES.find((x) => x.toLowerCase() === stage.toLowerCase());
  if (!s) throw bad(`Invalid Model Version stage: ${stage}. Value must be one of None, Staging, Production, Archived.`);
  return s;
}

export function parseVersion(version: string | number): number {
  const n = typeof version === "number" ? version : /^\s*-?\d+\s*$/.test(version) ? Number(version) : NaN;
  if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1 || n < -(2 ** 31)) throw bad(`Parameter 'version' must be an integer, got '${version}'.`);
  return n;
}

const versionNotFound = (name: string, version: string | number) =>
  new ApiError("not_found", `Model Version (name=${name}, version=${version}) not found`);

const withName = (model: RegisteredModel) => (row: ModelVersionRow): ModelVersion => ({ ...row, name: model.name });

export async function getVersion(db: Db, teamId: string, name: string, version: string | number): Promise<ModelVersion> {
  const model = await getModel(db, teamId, name);
  const n = parseVersion(version);
  const [row] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.teamId, teamId), eq(modelVersions.modelId, model.id), eq(modelVersions.version, n)))
    .limit(1);
  if (!row) throw versionNotFound(name, version);
  return withName(model)(row);
}

export async function createVersion(
  db: Db,
  teamId: string,
  input: { name: string; source: string; runId?: string; modelId?: string; runLink?: string; description?: string; tags?: { key: string; value: string }[] },
): Promise<ModelVersion> {
  const model = await getModel(db, teamId, input.name);
  const src = await checkVersionSource(db, teamId, input);
  const tags: Record<string, string> = {};
  for (const t of input.tags ?? []) {
    checkTag(t.key, t.value);
    tags[t.key] = t.value;
  }
  // One statement: the UPDATE takes the model row's lock, so concurrent creates
  // queue on it and each reads the number the previous one wrote. Numbers are
  // never reused, even after a version is deleted.
  const res = await db.execute<{ version: number }>(sql`
    with bumped as (
      update registered_models set last_version = last_version + 1, updated_at = now()
      where team_id = ${teamId} and id = ${model.id}
      returning id, last_version
    )
    insert into model_versions (team_id, model_id, version, source, run_id, run_link, logged_model_id, description, tags)
    select ${teamId}, bumped.id, bumped.last_version, ${src.source}, ${src.runId}, ${input.runLink ?? ""}, ${src.loggedModelId},
      ${input.description ?? ""}, ${JSON.stringify(tags)}::jsonb
    from bumped
    returning version`);
  const version = res.rows[0]?.version;
  if (version === undefined) throw new ApiError("not_found", `Registered Model with name=${input.name} not found`);
  if (src.loggedModelId) await noteModelVersion(db, teamId, src.loggedModelId, model.name, version);
  return getVersion(db, teamId, model.name, version);
}

async function patchVersion(db: Db, teamId: string, name: string, version: string, set: Record<string, unknown>): Promise<ModelVersion> {
  const current = await getVersion(db, teamId, name, version);
  const [row] = await db
    .update(modelVersions)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(modelVersions.teamId, teamId), eq(modelVersions.modelId, current.modelId), eq(modelVersions.version, current.version)))
    .returning();
  if (!row) throw versionNotFound(name, version);
  return { ...row, name: current.name };
}

export const updateVersionDescription = (db: Db, teamId: string, name: string, version: string, description: string) =>
  patchVersion(db, teamId, name, version, { description });

export async function setVersionTag(db: Db, teamId: string, name: string, version: string, key: string, value: string) {
  checkTag(key, value);
  await patchVersion(db, teamId, name, version, { tags: sql`${modelVersions.tags} || jsonb_build_object(${key}::text, ${value}::text)` });
}

export async function deleteVersionTag(db: Db, teamId: string, name: string, version: string, key: string) {
  await patchVersion(db, teamId, name, version, { tags: sql`${modelVersions.tags} - ${key}::text` });
}

// Its aliases go with it (the alias rows' foreign key cascades).
export async function deleteVersion(db: Db, teamId: string, name: string, version: string): Promise<void> {
  const current = await getVersion(db, teamId, name, version);
  await db
    .delete(modelVersions)
    .where(and(eq(modelVersions.teamId, teamId), eq(modelVersions.modelId, current.modelId), eq(modelVersions.version, current.version)));
  await db.update(registeredModels).set({ updatedAt: new Date() }).where(and(eq(registeredModels.teamId, teamId), eq(registeredModels.id, current.modelId)));
}

export async function transitionStage(db: Db, teamId: string, name: string, version: string, stage: string, archiveExisting: boolean) {
  const target = canonicalStage(stage);
  if (archiveExisting && target !== "Staging" && target !== "Production") {
    throw bad(`Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are {'Staging', 'Production'}`);
  }
  const current = await getVersion(db, teamId, name, version);
  return db.transaction(async (tx) => {
    if (archiveExisting) {
      await tx
        .update(modelVersions)
        .set({ stage: "Archived", updatedAt: new Date() })
        .where(
          and(
            eq(modelVersions.teamId, teamId),
            eq(modelVersions.modelId, current.modelId),
            eq(modelVersions.stage, target),
            sql`${modelVersions.version} <> ${current.version}`,
          ),
        );
    }
    const [row] = await tx
      .update(modelVersions)
      .set({ stage: target, updatedAt: new Date() })
      .where(and(eq(modelVersions.teamId, teamId), eq(modelVersions.modelId, current.modelId), eq(modelVersions.version, current.version)))
      .returning();
    await tx.update(registeredModels).set({ updatedAt: new Date() }).where(and(eq(registeredModels.teamId, teamId), eq(registeredModels.id, current.modelId)));
    return { ...row, name: current.name } as ModelVersion;
  });
}

const ORDER_KEYS: Record<string, SQL> = {
  name: sql`rm.name`,
  version_number: sql`mv.version`,
  creation_timestamp: sql`mv.created_at`,
  timestamp: sql`mv.created_at`,
  last_updated_timestamp: sql`mv.updated_at`,
  run_id: sql`mv.run_id`,
  source_path: sql`mv.source`,
};

export async function searchVersions(
  db: Db,
  teamId: string,
  q: { filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string },
): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
  const max = q.maxResults ?? 10_000;
  if (max < 1) throw bad(`Invalid value for max_results. It must be a positive integer, but got ${max}`);
  if (max > 200_000) throw bad(`Invalid value for request parameter max_results. It must be at most 200000, but got value ${max}`);
  const where: SQL[] = [sql`mv.team_id = ${teamId}`];
  for (const c of parseFilter(q.filter)) {
    const k = c.key;
    if (c.kind === "tag") where.push(tagCondition(sql`mv.tags`, c));
    else if (c.kind !== "attribute") throw bad(`Invalid filter: model versions have no ${c.kind}s`);
    else if (k === "name") where.push(textCondition(sql`rm.name`, c, "name"));
    else if (k === "run_id") where.push(textCondition(sql`mv.run_id`, c, "run_id"));
    else if (k === "source_path" || k === "source") where.push(textCondition(sql`mv.source`, c, k));
    else if (k === "model_id") where.push(textCondition(sql`mv.logged_model_id`, c, k));
    else if (k === "version_number") where.push(numberCondition(sql`mv.version`, c, k));
    else if (k === "current_stage") where.push(textCondition(sql`mv.stage`, c, k));
    else throw bad(`Invalid attribute name: ${k}. Valid keys are name, run_id, source_path, version_number, model_id, current_stage and tags.<key>`);
  }
  const order = parseOrderBy(q.orderBy, ORDER_KEYS);
  const orderSql = [...order.map((o) => o.sql)];
  if (!order.some((o) => o.key === "name")) orderSql.push(sql`rm.name asc`);
  if (!order.some((o) => o.key === "version_number")) orderSql.push(sql`mv.version asc`);
  const offset = decodeToken(q.pageToken);
  const res = await db.execute<Record<string, unknown>>(sql`
    select mv.*, rm.name from model_versions mv
    join registered_models rm on rm.team_id = mv.team_id and rm.id = mv.model_id
    where ${sql.join(where, sql` and `)}
    order by ${sql.join(orderSql, sql`, `)}
    limit ${max + 1} offset ${offset}`);
  const versions = res.rows.slice(0, max).map(fromRaw);
  return { versions, nextPageToken: res.rows.length > max ? encodeToken(offset + max) : undefined };
}

// A raw row (snake_case) as the drizzle shape.
export function fromRaw(r: Record<string, unknown>): ModelVersion {
  return {
    teamId: r.team_id as string,
    modelId: r.model_id as string,
    version: Number(r.version),
    source: r.source as string,
    runId: (r.run_id as string) ?? null,
    runLink: (r.run_link as string) ?? "",
    loggedModelId: (r.logged_model_id as string) ?? null,
    status: r.status as string,
    stage: r.stage as string,
    description: (r.description as string) ?? "",
    tags: (typeof r.tags === "string" ? JSON.parse(r.tags) : r.tags) as Record<string, string>,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    name: r.name as string,
  };
}
