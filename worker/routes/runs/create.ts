import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { createRun } from "../../services/runs";
import { createRunBody, projectRunsParams, runEnvelope } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "post",
  path: "/projects/{project}/runs",
  summary: "Start a run; a project named here that does not exist yet is created",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: projectRunsParams, body: jsonBody(createRunBody) },
  responses: { 201: jsonContent(runEnvelope, "Created"), ...authErrors },
});

export const createRunRoute = newRouter().openapi(route, async (c) => {
  const run = await createRun(c.get("db"), c.get("principal").teamId, c.req.valid("param").project, c.req.valid("json"));
  return c.json({ run: runJson(run) }, 201);
});
