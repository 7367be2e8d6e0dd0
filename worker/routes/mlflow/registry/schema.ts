import { z } from "@hono/zod-openapi";
import type { Db } from "../../../lib/db";
import { aliasesOf, latestVersions } from "../../../services/registry/aliases";
import type { RegisteredModel } from "../../../services/registry/models";
import type { ModelVersion } from "../../../services/registry/versions";
import { ms } from "../lib/serialize-run";

// MLflow's RegisteredModel and ModelVersion messages (model_registry.proto),
// and the request fields the registry routes share. Names and versions are
// optional in the schemas so a missing one gets MLflow's own message
// (lib/request.ts `required`).

export const tagSchema = z.object({ key: z.string(), value: z.string() });
// Protobuf JSON leaves out empty strings, so a tag may arrive without a value.
export const tagInput = z.array(z.object({ key: z.string(), value: z.string().optional().default("") })).optional();

// Versions are strings in the protos; hand-written calls send numbers.
export const versionField = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .optional()
  .openapi({ type: "string", description: "Version number" });

// A repeated query parameter arrives as an array, a single one as a string.
export const queryList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .optional()
  .openapi({ type: "array", items: { type: "string" } });

export const modelVersionSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    creation_timestamp: z.number().int(),
    last_updated_timestamp: z.number().int(),
    current_stage: z.string(),
    description: z.string(),
    source: z.string(),
    run_id: z.string().optional(),
    run_link: z.string().optional(),
    status: z.string(),
    tags: z.array(tagSchema),
    aliases: z.array(z.string()),
    model_id: z.string().optional(),
  })
  .openapi("MlflowModelVersion");

export const registeredModelSchema = z
  .object({
    name: z.string(),
    creation_timestamp: z.number().int(),
    last_updated_timestamp: z.number().int(),
    description: z.string(),
    latest_versions: z.array(modelVersionSchema),
    tags: z.array(tagSchema),
    aliases: z.array(z.object({ alias: z.string(), version: z.string() })),
  })
  .openapi("MlflowRegisteredModel");

export const modelVersionEnvelope = z.object({ model_version: modelVersionSchema });
export const registeredModelEnvelope = z.object({ registered_model: registeredModelSchema });

const tagList = (tags: Record<string, string>) => Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));

export function versionJson(v: ModelVersion, aliases: string[] = []): z.infer<typeof modelVersionSchema> {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: ms(v.createdAt)!,
    last_updated_timestamp: ms(v.updatedAt)!,
    current_stage: v.stage,
    description: v.description,
    source: v.source,
    ...(v.runId ? { run_id: v.runId } : {}),
    ...(v.runLink ? { run_link: v.runLink } : {}),
    status: v.status,
    tags: tagList(v.tags),
    aliases,
    ...(v.loggedModelId ? { model_id: v.loggedModelId } : {}),
  };
}

// Versions with the aliases that point at them, as MLflow lists them.
export async function versionsJson(db: Db, teamId: string, versions: ModelVersion[]) {
  const aliases = await aliasesOf(db, teamId, [...new Set(versions.map((v) => v.modelId))]);
  return versions.map((v) =>
    versionJson(
      v,
      (aliases.get(v.modelId) ?? []).filter((a) => a.version === v.version).map((a) => a.alias),
    ),
  );
}

export async function versionOut(db: Db, teamId: string, v: ModelVersion) {
  return { model_version: (await versionsJson(db, teamId, [v]))[0]! };
}

export async function modelsJson(db: Db, teamId: string, models: RegisteredModel[]) {
  const ids = models.map((m) => m.id);
  const [latest, aliases] = await Promise.all([latestVersions(db, teamId, ids), aliasesOf(db, teamId, ids)]);
  return models.map((m) => ({
    name: m.name,
    creation_timestamp: ms(m.createdAt)!,
    last_updated_timestamp: ms(m.updatedAt)!,
    description: m.description,
    latest_versions: latest.filter((v) => v.modelId === m.id).map((v) => versionJson(v)),
    tags: tagList(m.tags),
    aliases: (aliases.get(m.id) ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
  }));
}

export async function modelOut(db: Db, teamId: string, m: RegisteredModel) {
  return { registered_model: (await modelsJson(db, teamId, [m]))[0]! };
}

// MLflow's client sends DELETE with a JSON body; hand-made calls often use the
// query string. Both are read (the body wins), with the same fields.
export const deleteRequest = <T extends z.ZodType>(fields: T) => ({
  query: fields,
  body: { required: false, content: { "application/json": { schema: fields } } },
});
