import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { logRunBatch } from "../../../services/run-batch";
import { runIdOf, runRef } from "../lib/request";
import { emptyReply, mlflowErrors } from "./schema";
import { checkParam } from "./validate";

const body = z.object({ ...runRef, key: z.string().optional(), value: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/runs/log-parameter",
  summary: "MLflow: log a param (a run config key; the same value again is fine, another value is refused)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const logParamRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  const param = checkParam(req);
  await logRunBatch(c.get("db"), c.get("principal").teamId, runId, { metrics: [], params: [param], tags: [] });
  return c.json({}, 200);
});
