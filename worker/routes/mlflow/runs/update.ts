import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { updateRunInfo } from "../../../services/runs";
import { int64, runIdOf, runRef } from "../lib/request";
import { runInfo } from "../lib/serialize-run";
import { mlflowErrors, mlflowRunInfo } from "./schema";
import { checkTag, fromMlflowStatus, runStatusIn } from "./validate";

const body = z.object({ ...runRef, status: runStatusIn.optional(), end_time: int64.optional(), run_name: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/runs/update",
  summary: "MLflow: set a run's status, end time or name",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(z.object({ run_info: mlflowRunInfo })), ...mlflowErrors },
});

export const updateRunRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  // The name is the mlflow.runName tag, so it obeys the tag's limits.
  if (req.run_name) checkTag({ key: "mlflow.runName", value: req.run_name }, "run_name");
  const run = await updateRunInfo(c.get("db"), c.get("principal").teamId, runId, {
    status: req.status ? fromMlflowStatus[req.status] : undefined,
    endTime: req.end_time !== undefined ? new Date(req.end_time) : undefined,
    name: req.run_name || undefined,
  });
  return c.json({ run_info: runInfo(run) }, 200);
});
