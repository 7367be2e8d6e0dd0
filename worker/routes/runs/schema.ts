import { z } from "@hono/zod-openapi";
import { runStatuses } from "../../../schema";
import { checkJsonObject, jsonObject as baseJsonObject, text, timestamp } from "../../lib/validation";
import { MAX_CONFIG_BYTES, MAX_SUMMARY_BYTES } from "../../services/runs";
import { metricKey } from "../metrics/schema";

// Run config and system info share the free-form JSON rules (depth, size,
// NUL, surrogates) with artifact metadata: see lib/validation.ts.
const jsonObject = () => baseJsonObject(MAX_CONFIG_BYTES);

const tags = z
  .array(text(128))
  .max(64, "at most 64 tags")
  .transform((t) => [...new Set(t)]);

const gitInfo = z
  .object({
    commit: text(256, 0).nullish(),
    branch: text(512, 0).nullish(),
    dirty: z.boolean().nullish(),
    remote: text(2048, 0).nullish(),
  });

export const createRunBody = z.object({
  name: text(128).optional(),
  config: jsonObject().optional(),
  tags: tags.optional(),
  notes: text(20_000, 0).optional(),
  git: gitInfo.nullish(),
  host: text(256, 0).nullish(),
  system: jsonObject().nullish(),
});
export type CreateRunInput = z.infer<typeof createRunBody>;

// Summary overrides are keyed like metrics (they sit beside them in the
// summary) and hold any JSON value; null removes a key.
const summaryPatch = z
  .record(metricKey, z.unknown())
  .superRefine((obj, ctx) => {
    const p = checkJsonObject(obj, MAX_SUMMARY_BYTES);
    if (p) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
  })
  .openapi({ description: "Summary values to set by key, merged into summary_overrides; null removes a key" });

export const updateRunBody = z
  .object({
    name: text(128).optional(),
    tags: tags.optional(),
    notes: text(20_000, 0).optional(),
    config: jsonObject().optional(),
    summary: summaryPatch.optional(),
    // A pinned run is kept by history retention whatever its age.
    pinned: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "give name, tags, notes, config, summary or pinned to change");
export type UpdateRunInput = z.infer<typeof updateRunBody>;

export const finishRunBody = z.object({
  status: z.enum(["finished", "failed", "killed"]),
  exit_code: z.number().int().min(-2_147_483_648).max(2_147_483_647).nullish(),
});

// Ids and names reach SQL only as bound parameters, but Postgres still refuses
// NUL in a text parameter, so control characters stop here as a 400.
const ref = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001F\u007F]+$/, "must not contain control characters");

export const runParams = z.object({
  run: ref(64).openapi({ param: { name: "run", in: "path" }, description: "Run id (run_...)" }),
});

export const projectRunsParams = z.object({
  project: ref(128).openapi({ param: { name: "project", in: "path" }, description: "Project id (prj_...) or name" }),
});

// A query parameter that may repeat: hono hands one value as a string, several as an array.
const repeatable = <T extends z.ZodType>(item: T, max: number, name: string) =>
  z
    .preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).max(max, `at most ${max} ${name} values`).optional())
    .openapi({ type: "array", items: { type: "string" } });

export const listRunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(8192).optional(),
  status: repeatable(z.enum(runStatuses), 5, "status"),
  tag: repeatable(text(128), 20, "tag"),
  filter: repeatable(z.string().min(1).max(1024), 20, "filter"),
  order_by: z.string().min(1).max(600).optional(),
  archived: z
    .enum(["exclude", "include", "only"])
    .default("exclude")
    .openapi({ description: "Archived runs: left out (default), listed with the rest, or listed alone" }),
});

export const runSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    name: z.string(),
    status: z.enum(runStatuses),
    config: z.record(z.string(), z.unknown()),
    tags: z.array(z.string()),
    // MLflow's key-value run tags; its mlflow.runName, mlflow.note.content,
    // mlflow.source.git.commit and mlflow.parentRunId live in name, notes, git and parent_id.
    kv_tags: z.record(z.string(), z.string()),
    parent_id: z.string().nullable(),
    notes: z.string(),
    git: z.record(z.string(), z.unknown()).nullable(),
    host: z.string().nullable(),
    system: z.record(z.string(), z.unknown()).nullable(),
    summary: z.record(z.string(), z.unknown()),
    summary_overrides: z.record(z.string(), z.unknown()),
    exit_code: z.number().int().nullable(),
    // Kept by history retention whatever its age.
    pinned: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
    heartbeat_at: timestamp,
    finished_at: timestamp.nullable(),
    // Set while the run is soft-deleted (MLflow's delete); such runs are left out of lists.
    deleted_at: timestamp.nullable(),
    // Set while the run is archived; lists leave it out unless archived=include|only.
    archived_at: timestamp.nullable(),
    duration_ms: z.number().int(),
  })
  .openapi("Run");

export const runEnvelope = z.object({ run: runSchema });
