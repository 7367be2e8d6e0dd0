import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { updateRun } from "../../services/runs";
import { runEnvelope, runParams, updateRunBody } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "patch",
  path: "/runs/{run}",
  summary: "Rename a run, replace its tags or notes, or merge keys into its config or summary overrides",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(updateRunBody) },
  responses: { 200: jsonContent(runEnvelope), ...authErrors },
});

export const updateRunRoute = newRouter().openapi(route, async (c) => {
  const run = await updateRun(c.get("db"), c.get("principal").teamId, c.req.valid("param").run, c.req.valid("json"));
  return c.json({ run: runJson(run) }, 200);
});
