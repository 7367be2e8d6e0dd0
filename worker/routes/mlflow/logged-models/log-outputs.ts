import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { checkRunOutputs } from "../../../services/logged-models";
import { emptyResponse } from "../experiments/schema";
import { invalidParam } from "../lib/errors";
import { int64, required } from "../lib/request";

// Lives with the logged models (not the runs) because it is how MLflow 3's
// log_model links a run to the logged model it made.
const body = z.object({
  run_id: z.string().optional(),
  models: z.array(z.object({ model_id: z.string(), step: int64.optional() })).optional(),
});

const route = createRoute({
  method: "post",
  path: "/runs/outputs",
  summary: "MLflow 3: record the logged models a run produced",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const logOutputsRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = required(req.run_id, "run_id");
  if (!req.models) throw invalidParam("Missing value for required parameter 'models'. See the API docs for more information about request parameters.");
  await checkRunOutputs(c.get("db"), c.get("principal").teamId, runId, req.models.map((m) => m.model_id));
  return c.json({}, 200);
});
