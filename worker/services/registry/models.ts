import { and, eq, sql, type SQL } from "drizzle-orm";
import { registeredModels } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { randomBase62 } from "../../lib/ids";
import { isUniqueViolation } from "../projects";
import { decodeToken, encodeToken, parseFilter, parseOrderBy, tagCondition, textCondition } from "./filter";

// MLflow's model registry, one team's namespace: registered models are found
// by name (unique in the team), never by id from outside.

export type RegisteredModel = typeof registeredModels.$inferSelect;

const bad = (msg: string) => new ApiError("invalid_argument", msg);
const TAG_KEY_MAX = 250;
const TAG_VALUE_MAX = 100_000;

export const modelNotFound = (name: string) => new ApiError("not_found", `Registered Model with name=${name} not found`);

// MLflow's rules for a model name: not blank, no '/' or ':' (they would break models:/ URIs).
export function checkModelName(name: string, field = "name") {
  if (!name.trim()) throw bad(`Missing value for required parameter '${field}'.`);
  if (/[/:]/.test(name)) throw bad(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`);
  if (name.length > 256) throw bad(`'${field}' exceeds the maximum length of 256 characters`);
}

export function checkTag(key: string, value: string) {
  if (!key) throw bad("Missing value for required parameter 'key'.");
  if (key.length > TAG_KEY_MAX) throw bad(`'key' exceeds the maximum length of ${TAG_KEY_MAX} characters`);
  if (!/^[\p{L}\p{N}_\-./ :]+$/u.test(key) || key.split("/").includes("..")) {
    throw bad(`Invalid value "${key}" for parameter 'key' supplied. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`);
  }
  if (value.length > TAG_VALUE_MAX) throw bad(`'value' exceeds the maximum length of ${TAG_VALUE_MAX} characters`);
}

export async function getModel(db: Db, teamId: string, name: string): Promise<RegisteredModel> {
  const [row] = await db
    .select()
    .from(registeredModels)
    .where(and(eq(registeredModels.teamId, teamId), eq(registeredModels.name, name)))
    .limit(1);
  if (!row) throw modelNotFound(name);
  return row;
}

export async function createModel(db: Db, teamId: string, input: { name: string; description?: string; tags?: { key: string; value: string }[] }) {
  checkModelName(input.name);
  const tags: Record<string, string> = {};
  for (const t of input.tags ?? []) {
    checkTag(t.key, t.value);
    tags[t.key] = t.value;
  }
  const [row] = await db
    .insert(registeredModels)
    .values({ teamId, id: `rm_${randomBase62(20)}`, name: input.name, description: input.description ?? "", tags })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ApiError("conflict", `Registered Model (name=${input.name}) already exists.`);
  return row;
}

// Updates one model found by name; 404 when the team has none by that name.
async function patchModel(db: Db, teamId: string, name: string, set: Record<string, unknown> | SQL): Promise<RegisteredModel> {
  const [row] = await db
    .update(registeredModels)
    .set({ ...(set as object), updatedAt: new Date() })
    .where(and(eq(registeredModels.teamId, teamId), eq(registeredModels.name, name)))
    .returning();
  if (!row) throw modelNotFound(name);
  return row;
}

export const updateModelDescription = (db: Db, teamId: string, name: string, description: string) =>
  patchModel(db, teamId, name, { description });

export async function renameModel(db: Db, teamId: string, name: string, newName: string): Promise<RegisteredModel> {
  checkModelName(newName, "new_name");
  try {
    // Versions and aliases point at the model's id, so they follow the rename.
    return await patchModel(db, teamId, name, { name: newName });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `Registered Model (name=${newName}) already exists.`);
    throw err;
  }
}

export async function deleteModel(db: Db, teamId: string, name: string): Promise<void> {
  // Versions and aliases go with it (foreign keys cascade).
  const rows = await db
    .delete(registeredModels)
    .where(and(eq(registeredModels.teamId, teamId), eq(registeredModels.name, name)))
    .returning({ id: registeredModels.id });
  if (!rows.length) throw modelNotFound(name);
}

export async function setModelTag(db: Db, teamId: string, name: string, key: string, value: string) {
  checkTag(key, value);
  await patchModel(db, teamId, name, { tags: sql`${registeredModels.tags} || jsonb_build_object(${key}::text, ${value}::text)` });
}

// MLflow deletes a missing tag silently, but the model must exist.
export async function deleteModelTag(db: Db, teamId: string, name: string, key: string) {
  await patchModel(db, teamId, name, { tags: sql`${registeredModels.tags} - ${key}::text` });
}

const ORDER_KEYS: Record<string, SQL> = {
  name: sql`${registeredModels.name}`,
  timestamp: sql`${registeredModels.createdAt}`,
  creation_timestamp: sql`${registeredModels.createdAt}`,
  last_updated_timestamp: sql`${registeredModels.updatedAt}`,
};

export async function searchModels(
  db: Db,
  teamId: string,
  q: { filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string },
): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
  const max = q.maxResults ?? 100;
  if (max < 1 || max > 1000) {
    throw bad(`Invalid value for request parameter max_results. It must be at most 1000, but got value ${max}`);
  }
  const where: SQL[] = [sql`${registeredModels.teamId} = ${teamId}`];
  for (const c of parseFilter(q.filter)) {
    if (c.kind === "tag") where.push(tagCondition(sql`${registeredModels.tags}`, c));
    else if (c.kind === "attribute" && c.key === "name") where.push(textCondition(sql`${registeredModels.name}`, c, "name"));
    else throw bad(`Invalid attribute key '${c.key}' specified. Valid keys are '{'name'}' and tags.<key>`);
  }
  const order = parseOrderBy(q.orderBy, ORDER_KEYS);
  const orderSql = [...order.map((o) => o.sql), ...(order.some((o) => o.key === "name") ? [] : [sql`${registeredModels.name} asc`])];
  const offset = decodeToken(q.pageToken);
  const rows = await db
    .select()
    .from(registeredModels)
    .where(and(...where))
    .orderBy(...orderSql)
    .limit(max + 1)
    .offset(offset);
  return { models: rows.slice(0, max), nextPageToken: rows.length > max ? encodeToken(offset + max) : undefined };
}
