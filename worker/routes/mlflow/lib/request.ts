import { z } from "@hono/zod-openapi";
import { invalidParam } from "./errors";

// Protobuf's JSON mapping sends int64 fields as strings ("1700000000000");
// older clients and hand-written calls send numbers. Both are accepted.
export const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,19}$/, "must be an integer")])
  .transform((v) => Number(v))
  .refine((v) => Number.isSafeInteger(v), "must be an integer within ±2^53")
  .openapi({ type: "string", format: "int64" });

// Query strings carry every value as text; booleans as "true"/"false".
export const queryBool = z
  .enum(["true", "false", "True", "False", "1", "0"])
  .transform((v) => v === "true" || v === "True" || v === "1");

// MLflow's run-scoped requests name the run as run_id or (deprecated) run_uuid.
export const runRef = {
  run_id: z.string().optional(),
  run_uuid: z.string().optional(),
};

export function runIdOf(req: { run_id?: string; run_uuid?: string }): string {
  const id = req.run_id || req.run_uuid;
  if (!id) throw invalidParam("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.");
  return id;
}

// A required string parameter, with MLflow's message when it is missing.
export function required<T>(value: T | undefined | null | "", name: string): T {
  if (value === undefined || value === null || value === "") {
    throw invalidParam(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
  }
  return value as T;
}
