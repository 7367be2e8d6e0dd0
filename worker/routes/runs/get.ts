import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getRunInTeam } from "../../services/run-lookup";
import { runEnvelope, runParams } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "get",
  path: "/runs/{run}",
  summary: "Get a run",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: runParams },
  responses: { 200: jsonContent(runEnvelope), ...authErrors },
});

export const getRunRoute = newRouter().openapi(route, async (c) => {
  const run = await getRunInTeam(c.get("db"), c.get("principal").teamId, c.req.valid("param").run);
  return c.json({ run: runJson(run) }, 200);
});
