import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { finishRun } from "../../services/runs";
import { finishRunBody, runEnvelope, runParams } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "post",
  path: "/runs/{run}/finish",
  summary: "Mark a run finished, failed or killed",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(finishRunBody) },
  responses: { 200: jsonContent(runEnvelope), ...authErrors },
});

export const finishRunRoute = newRouter().openapi(route, async (c) => {
  const run = await finishRun(c.get("db"), c.get("principal").teamId, c.req.valid("param").run, c.req.valid("json"));
  return c.json({ run: runJson(run) }, 200);
});
