import { createRoute } from "@hono/zod-openapi";
import { jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { getRunInTeam } from "../../../services/run-lookup";
import { runIdOf } from "../lib/request";
import { mlflowErrors, runEnvelope, runRefBody } from "./schema";
import { mlflowRunJson } from "./serialize";

const route = createRoute({
  method: "get",
  path: "/runs/get",
  summary: "MLflow: get a run (deleted runs too) with its latest metrics, params, tags and dataset inputs",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: runRefBody },
  responses: { 200: jsonContent(runEnvelope), ...mlflowErrors },
});

export const getRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const run = await getRunInTeam(db, c.get("principal").teamId, runIdOf(c.req.valid("query")));
  return c.json({ run: await mlflowRunJson(db, run) }, 200);
});
