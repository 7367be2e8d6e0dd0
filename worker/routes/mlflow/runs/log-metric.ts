import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { logRunBatch } from "../../../services/run-batch";
import { checkIngestRate } from "../../../services/team-rates";
import { runIdOf, runRef } from "../lib/request";
import { emptyReply, mlflowErrors } from "./schema";
import { checkMetric, metricFields } from "./validate";

// model_id, dataset_name, dataset_digest (MLflow 3's model metrics) are accepted and not kept.
const body = z.object({ ...runRef, ...metricFields });

const route = createRoute({
  method: "post",
  path: "/runs/log-metric",
  summary: "MLflow: log one metric value at a step (one value per step is kept; the last write wins)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const logMetricRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  const metric = checkMetric(req);
  await checkIngestRate(c.get("db"), c.get("principal").teamId, 1);
  await logRunBatch(c.get("db"), c.get("principal").teamId, runId, { metrics: [metric], params: [], tags: [] });
  return c.json({}, 200);
});
