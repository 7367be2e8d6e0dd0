import { z } from "@hono/zod-openapi";
import { runRef } from "../lib/request";

// Shapes of MLflow's run messages (mlflow/protos/service.proto), for the
// OpenAPI document; the values come from lib/serialize-run.ts.

const keyValue = z.object({ key: z.string(), value: z.string() });

export const mlflowRunInfo = z
  .object({
    run_id: z.string(),
    run_uuid: z.string(),
    run_name: z.string(),
    experiment_id: z.string(),
    user_id: z.string(),
    status: z.string(),
    start_time: z.number().int().optional(),
    end_time: z.number().int().optional(),
    artifact_uri: z.string(),
    lifecycle_stage: z.string(),
  })
  .openapi("MlflowRunInfo");

export const mlflowRun = z
  .object({
    info: mlflowRunInfo,
    data: z.object({
      metrics: z.array(z.object({ key: z.string(), value: z.union([z.number(), z.string()]), timestamp: z.number().int().optional(), step: z.number().int() })),
      params: z.array(keyValue),
      tags: z.array(keyValue),
    }),
    inputs: z.object({ dataset_inputs: z.array(z.unknown()) }),
  })
  .openapi("MlflowRun");

export const runEnvelope = z.object({ run: mlflowRun });
export const emptyReply = z.object({}).openapi("MlflowEmpty");

// Every run-scoped request names its run as run_id or run_uuid.
export const runRefBody = z.object(runRef);

const mlflowErrorBody = z.object({ error_code: z.string(), message: z.string() }).openapi("MlflowError");
const err = (description: string) => ({ description, content: { "application/json": { schema: mlflowErrorBody } } });
export const mlflowErrors = {
  400: err("INVALID_PARAMETER_VALUE (the message names the field), or another MLflow code"),
  401: err("UNAUTHENTICATED"),
  403: err("PERMISSION_DENIED"),
  404: err("RESOURCE_DOES_NOT_EXIST (also another team's run)"),
} as const;
