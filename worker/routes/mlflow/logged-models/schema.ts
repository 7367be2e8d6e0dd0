import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../../env";
import { loggedModelLocation, type LoggedModel, type LoggedModelStatus } from "../../../services/logged-models";
import { invalidParam } from "../lib/errors";
import { ms } from "../lib/serialize-run";

// MLflow 3's LoggedModel message (service.proto): info + data.

const kv = z.object({ key: z.string(), value: z.string() });
// Protobuf JSON leaves out empty strings, so a value may be missing.
export const kvInput = z.array(z.object({ key: z.string(), value: z.string().optional().default("") })).optional();

export const modelIdParams = z.object({ model_id: z.string().openapi({ param: { name: "model_id", in: "path" }, example: "m-0123456789abcdef0123456789abcdef" }) });

const toProto: Record<string, string> = { PENDING: "LOGGED_MODEL_PENDING", READY: "LOGGED_MODEL_READY", FAILED: "LOGGED_MODEL_UPLOAD_FAILED" };

// The status enum arrives by name (protobuf JSON) or by number.
const fromProto: Record<string, LoggedModelStatus> = {
  LOGGED_MODEL_PENDING: "PENDING",
  LOGGED_MODEL_READY: "READY",
  LOGGED_MODEL_UPLOAD_FAILED: "FAILED",
  "1": "PENDING",
  "2": "READY",
  "3": "FAILED",
};

export function statusOf(v: string | number | undefined): LoggedModelStatus {
  if (v === undefined) throw invalidParam("Missing value for required parameter 'status'. See the API docs for more information about request parameters.");
  const s = fromProto[String(v)];
  if (!s) throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter 'status' supplied: use LOGGED_MODEL_PENDING, LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED`);
  return s;
}

export const loggedModelSchema = z
  .object({
    info: z.object({
      model_id: z.string(),
      experiment_id: z.string(),
      name: z.string(),
      creation_timestamp_ms: z.number().int(),
      last_updated_timestamp_ms: z.number().int(),
      artifact_uri: z.string(),
      status: z.string(),
      model_type: z.string().optional(),
      source_run_id: z.string().optional(),
      status_message: z.string().optional(),
      tags: z.array(kv),
    }),
    data: z.object({ params: z.array(kv), metrics: z.array(z.record(z.string(), z.unknown())) }),
  })
  .openapi("MlflowLoggedModel");

export const loggedModelEnvelope = z.object({ model: loggedModelSchema });

const METRIC_FIELDS = ["key", "value", "timestamp", "step", "run_id", "dataset_name", "dataset_digest", "model_id"];

export function loggedModelJson(m: LoggedModel): z.infer<typeof loggedModelSchema> {
  return {
    info: {
      model_id: m.id,
      experiment_id: m.projectId,
      name: m.name,
      creation_timestamp_ms: ms(m.createdAt)!,
      last_updated_timestamp_ms: ms(m.updatedAt)!,
      artifact_uri: loggedModelLocation(m),
      status: toProto[m.status] ?? "LOGGED_MODEL_STATUS_UNSPECIFIED",
      ...(m.modelType ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
      ...(m.statusMessage ? { status_message: m.statusMessage } : {}),
      tags: Object.entries(m.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
    data: {
      params: Object.entries(m.params ?? {}).map(([key, value]) => ({ key, value })),
      metrics: (m.metrics ?? []).map((x) => Object.fromEntries(Object.entries(x).filter(([k]) => METRIC_FIELDS.includes(k)))),
    },
  };
}

// /logged-models/search is a POST route of its own; on the {model_id} routes
// "search" is therefore no model but a method that path does not have.
export const notSearch = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.param("model_id") === "search") return c.notFound();
  await next();
});
