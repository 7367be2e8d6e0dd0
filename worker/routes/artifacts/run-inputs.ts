import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { recordUse } from "../../services/artifacts/lineage";
import { runParams, useBody, versionJson, versionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/runs/{run}/artifacts/inputs",
  summary: "Record that a run used an artifact version (lineage)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(useBody) },
  responses: { 201: jsonContent(z.object({ version: versionSchema }), "Recorded"), ...authErrors },
});

export const recordInputRoute = newRouter().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const version = await recordUse(c.get("db"), c.get("principal").teamId, c.req.valid("param").run, body.project, body.artifact, body.version);
  return c.json({ version: versionJson(version) }, 201);
});
