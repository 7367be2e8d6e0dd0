import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { loggedModels } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { randomBase62 } from "../lib/ids";
import { getRunInTeam } from "./run-lookup";
import { decodeToken, encodeToken, numberCondition, parseFilter, textCondition, type Clause } from "./registry/filter";

// MLflow 3's logged models: mlflow.<flavor>.log_model creates one (PENDING),
// uploads its files under its artifact location through the artifact proxy,
// then finalizes it (READY or FAILED). Deletion is soft, as in MLflow.

export type LoggedModel = typeof loggedModels.$inferSelect;
export type LoggedModelStatus = "PENDING" | "READY" | "FAILED";
type KV = { key: string; value: string };

const bad = (msg: string) => new ApiError("invalid_argument", msg);
const notFound = (id: string) => new ApiError("not_found", `Logged model with ID '${id}' not found.`);

// MLflow's id format (m- and a uuid4 without dashes): clients parse models:/m-... URIs by it.
export const newLoggedModelId = () => `m-${crypto.randomUUID().replace(/-/g, "")}`;

// The artifact proxy (engineer D's routes) stores a logged model's files here.
export const loggedModelLocation = (m: Pick<LoggedModel, "projectId" | "id">) => `mlflow-artifacts:/${m.projectId}/models/${m.id}/artifacts`;

export async function findLoggedModel(db: Db, teamId: string, id: string, allowDeleted = false): Promise<LoggedModel | null> {
  const [row] = await db
    .select()
    .from(loggedModels)
    .where(and(eq(loggedModels.teamId, teamId), eq(loggedModels.id, id), allowDeleted ? undefined : isNull(loggedModels.deletedAt)))
    .limit(1);
  return row ?? null;
}

export async function getLoggedModel(db: Db, teamId: string, id: string, allowDeleted = false): Promise<LoggedModel> {
  const row = await findLoggedModel(db, teamId, id, allowDeleted);
  if (!row) throw notFound(id);
  return row;
}

function toRecord(items: KV[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of items ?? []) {
    if (!key) throw bad(`Missing value for required parameter '${what}.key'.`);
    if (key.length > 250) throw bad(`'${what}.key' exceeds the maximum length of 250 characters`);
    if (value.length > 100_000) throw bad(`'${what}.value' exceeds the maximum length of 100000 characters`);
    out[key] = value;
  }
  return out;
}

export async function createLoggedModel(
  db: Db,
  teamId: string,
  input: { projectId: string; name?: string; modelType?: string; sourceRunId?: string; params?: KV[]; tags?: KV[] },
): Promise<LoggedModel> {
  if (input.name !== undefined && /[/:.%"']/.test(input.name)) {
    throw bad(`Invalid model name ('${input.name}') provided. Model name must not contain any of the following characters: ['/', ':', '.', '%', '"', "'"]`);
  }
  // A model may only name a run of the same team as its source.
  if (input.sourceRunId) await getRunInTeam(db, teamId, input.sourceRunId).catch(() => {
    throw bad(`source_run_id: run '${input.sourceRunId}' does not exist`);
  });
  const [row] = await db
    .insert(loggedModels)
    .values({
      teamId,
      id: newLoggedModelId(),
      projectId: input.projectId,
      name: input.name || `model-${randomBase62(8).toLowerCase()}`,
      modelType: input.modelType || null,
      sourceRunId: input.sourceRunId || null,
      params: toRecord(input.params, "params"),
      tags: toRecord(input.tags, "tags"),
    })
    .returning();
  return row!;
}

// Updates a live (not deleted) model, or 404.
async function patch(db: Db, teamId: string, id: string, set: Record<string, unknown>): Promise<LoggedModel> {
  const [row] = await db
    .update(loggedModels)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(loggedModels.teamId, teamId), eq(loggedModels.id, id), isNull(loggedModels.deletedAt)))
    .returning();
  if (!row) throw notFound(id);
  return row;
}

export const finalizeLoggedModel = (db: Db, teamId: string, id: string, status: LoggedModelStatus) => patch(db, teamId, id, { status });

export const deleteLoggedModel = async (db: Db, teamId: string, id: string) => {
  await patch(db, teamId, id, { deletedAt: new Date() });
};

export async function logLoggedModelParams(db: Db, teamId: string, id: string, params: KV[]) {
  const add = toRecord(params, "params");
  await patch(db, teamId, id, { params: sql`${loggedModels.params} || ${JSON.stringify(add)}::jsonb` });
}

export async function setLoggedModelTags(db: Db, teamId: string, id: string, tags: KV[]) {
  const add = toRecord(tags, "tags");
  await patch(db, teamId, id, { tags: sql`${loggedModels.tags} || ${JSON.stringify(add)}::jsonb` });
}

export async function deleteLoggedModelTag(db: Db, teamId: string, id: string, key: string) {
  const model = await getLoggedModel(db, teamId, id);
  if (!(key in model.tags)) throw new ApiError("not_found", `No tag with key '${key}' found for model with ID '${id}'.`);
  await patch(db, teamId, id, { tags: sql`${loggedModels.tags} - ${key}::text` });
}

// MLflow lists the registry versions made from a model in its mlflow.modelVersions tag.
export async function noteModelVersion(db: Db, teamId: string, id: string, name: string, version: number) {
  const model = await findLoggedModel(db, teamId, id, true);
  if (!model) return;
  const entry = { name, version: String(version) };
  let list: { name: string; version: string }[] = [];
  try {
    list = JSON.parse(model.tags["mlflow.modelVersions"] ?? "[]");
  } catch {
    list = [];
  }
  if (!list.some((x) => x.name === entry.name && x.version === entry.version)) list.push(entry);
  // Python's json.dumps spacing, so the tag reads the same as MLflow's own.
  const value = `[${list.map((x) => `{"name": ${JSON.stringify(x.name)}, "version": ${JSON.stringify(x.version)}}`).join(", ")}]`;
  await db
    .update(loggedModels)
    .set({ tags: sql`${loggedModels.tags} || jsonb_build_object('mlflow.modelVersions', ${value}::text)` })
    .where(and(eq(loggedModels.teamId, teamId), eq(loggedModels.id, id)));
}

const statusValue = (v: string) => v.toUpperCase().replace(/^LOGGED_MODEL_/, "").replace(/^UPLOAD_FAILED$/, "FAILED");

function condition(c: Clause): SQL {
  const k = c.key;
  if (c.kind === "tag") return textCondition(sql`lm.tags ->> ${k}::text`, c, `tag '${k}'`);
  if (c.kind === "param") return textCondition(sql`lm.params ->> ${k}::text`, c, `param '${k}'`);
  if (c.kind === "metric") {
    const cmp = numberCondition(sql`(e ->> 'value')::float8`, c, `metric '${k}'`);
    return sql`exists (select 1 from jsonb_array_elements(lm.metrics) e where e ->> 'key' = ${k} and ${cmp})`;
  }
  const text: Record<string, SQL> = { name: sql`lm.name`, model_id: sql`lm.id`, model_type: sql`lm.model_type`, source_run_id: sql`lm.source_run_id` };
  if (text[k]) return textCondition(text[k], c, k);
  if (k === "status") {
    const value = Array.isArray(c.value) ? c.value.map(statusValue) : typeof c.value === "string" ? statusValue(c.value) : c.value;
    return textCondition(sql`lm.status`, { ...c, value }, k);
  }
  if (k === "creation_timestamp" || k === "creation_time") return numberCondition(sql`(extract(epoch from lm.created_at) * 1000)::bigint`, c, k);
  if (k === "last_updated_timestamp") return numberCondition(sql`(extract(epoch from lm.updated_at) * 1000)::bigint`, c, k);
  throw bad(`Invalid attribute key '${k}' in filter. Valid keys are name, model_id, model_type, status, source_run_id, creation_timestamp, last_updated_timestamp, metrics.<key>, params.<key>, tags.<key>`);
}

const ORDER: Record<string, SQL> = {
  creation_timestamp: sql`lm.created_at`,
  creation_time: sql`lm.created_at`,
  last_updated_timestamp: sql`lm.updated_at`,
  name: sql`lm.name`,
  model_id: sql`lm.id`,
  model_type: sql`lm.model_type`,
  status: sql`lm.status`,
  source_run_id: sql`lm.source_run_id`,
};

export async function searchLoggedModels(
  db: Db,
  teamId: string,
  q: { projectIds: string[]; filter?: string; orderBy?: { field_name: string; ascending?: boolean }[]; maxResults?: number; pageToken?: string },
): Promise<{ models: LoggedModel[]; nextPageToken?: string }> {
  const max = q.maxResults || 100;
  if (max < 1 || max > 50_000) throw bad(`max_results must be between 1 and 50000, got ${max}`);
  if (!q.projectIds.length) return { models: [] };
  const where = [
    sql`lm.team_id = ${teamId}`,
    sql`lm.deleted_at is null`,
    sql`lm.project_id in (${sql.join(q.projectIds.map((p) => sql`${p}`), sql`, `)})`,
    ...parseFilter(q.filter).map(condition),
  ];
  const order = (q.orderBy ?? []).map((o) => {
    const col = ORDER[o.field_name];
    if (!col) throw bad(`Invalid order_by field_name '${o.field_name}'. Valid fields are ${Object.keys(ORDER).join(", ")}`);
    return o.ascending === false ? sql`${col} desc` : sql`${col} asc`;
  });
  if (!order.length) order.push(sql`lm.created_at desc`);
  order.push(sql`lm.id asc`);
  const offset = decodeToken(q.pageToken);
  const res = await db.execute<Record<string, unknown>>(sql`
    select lm.* from logged_models lm where ${sql.join(where, sql` and `)}
    order by ${sql.join(order, sql`, `)} limit ${max + 1} offset ${offset}`);
  const models = res.rows.slice(0, max).map(fromRaw);
  return { models, nextPageToken: res.rows.length > max ? encodeToken(offset + max) : undefined };
}

const json = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

function fromRaw(r: Record<string, unknown>): LoggedModel {
  return {
    teamId: r.team_id as string,
    id: r.id as string,
    projectId: r.project_id as string,
    name: r.name as string,
    sourceRunId: (r.source_run_id as string) ?? null,
    modelType: (r.model_type as string) ?? null,
    status: r.status as string,
    statusMessage: (r.status_message as string) ?? null,
    params: json(r.params),
    tags: json(r.tags),
    metrics: json(r.metrics),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    deletedAt: r.deleted_at ? new Date(r.deleted_at as string) : null,
  };
}

// MLflow 3's log_outputs: a run names the logged models it produced (log_model
// sends it after creating the model). Both must be the team's, the run active.
// The (run, model, step) link itself is not stored yet: there is no table for
// it, and a model made inside a run already names it as source_run_id.
export async function checkRunOutputs(db: Db, teamId: string, runId: string, modelIds: string[]) {
  const run = await getRunInTeam(db, teamId, runId).catch(() => {
    throw new ApiError("not_found", `Run with id=${runId} not found`);
  });
  if (run.deletedAt) throw bad(`The run ${runId} must be in the 'active' state. Current state is deleted.`);
  for (const id of new Set(modelIds)) await getLoggedModel(db, teamId, id);
}
