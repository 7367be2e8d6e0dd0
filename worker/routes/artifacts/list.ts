import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listArtifacts } from "../../services/artifacts/versions";
import { artifactJson, artifactSchema, artifactType, projectParam } from "./schema";

const route = createRoute({
  method: "get",
  path: "/projects/{project}/artifacts",
  summary: "List a project's artifacts",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: z.object({ project: projectParam }), query: z.object({ type: artifactType.optional() }) },
  responses: { 200: jsonContent(z.object({ artifacts: z.array(artifactSchema) })), ...authErrors },
});

export const listArtifactsRoute = newRouter().openapi(route, async (c) => {
  const rows = await listArtifacts(c.get("db"), c.get("principal").teamId, c.req.valid("param").project, c.req.valid("query").type);
  return c.json({ artifacts: rows.map(artifactJson) }, 200);
});
