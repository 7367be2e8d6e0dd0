import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { logRunBatch } from "../../../services/run-batch";
import { checkIngestRate } from "../../../services/team-rates";
import { runIdOf, runRef } from "../lib/request";
import { emptyReply, mlflowErrors } from "./schema";
import { checkBatchLimits, checkParam, checkRawMetrics, checkTag, checkUniqueParamKeys } from "./validate";

const keyValue = z.object({ key: z.string().optional(), value: z.string().optional() });
const body = z.object({
  ...runRef,
  // Elements checked by hand (checkRawMetrics): the hot path. Documented as MLflow's Metric.
  metrics: z.array(z.unknown().openapi({ type: "object", properties: { key: { type: "string" }, value: { type: "number" }, timestamp: { type: "string", format: "int64" }, step: { type: "string", format: "int64" } } })).optional(),
  params: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
});

// The body cap (4 MiB) sits in app.ts's table with the other bulk routes.
const route = createRoute({
  method: "post",
  path: "/runs/log-batch",
  summary:
    "MLflow: log up to 1,000 metrics, 100 params and 100 tags (1,000 in all) to a run, all or nothing; a retried batch rewrites the same points",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const logBatchRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  const m = req.metrics ?? [];
  const p = req.params ?? [];
  const t = req.tags ?? [];
  // Everything is checked before anything is written.
  checkBatchLimits(m.length, p.length, t.length);
  const metrics = checkRawMetrics(m);
  const params = p.map((x, i) => checkParam(x, `params[${i}]`));
  const tags = t.map((x, i) => checkTag(x, `tags[${i}]`));
  checkUniqueParamKeys(params);
  // All or nothing: over the team's ingest rate, params and tags are refused too.
  await checkIngestRate(c.get("db"), c.get("principal").teamId, metrics.length);
  await logRunBatch(c.get("db"), c.get("principal").teamId, runId, { metrics, params, tags });
  return c.json({}, 200);
});
