import { createRoute } from "@hono/zod-openapi";
import { authErrors, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { deleteProject } from "../../services/projects";
import { audit } from "../../lib/audit-context";
import { projectParams } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/{project}",
  summary: "Delete a project and everything in it",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: projectParams },
  responses: { 204: noContent, ...authErrors },
});

export const deleteProjectRoute = newRouter().openapi(route, async (c) => {
  const gone = await deleteProject(c.get("db"), c.get("principal").teamId, c.req.valid("param").project);
  await audit(c, { action: "project.delete", resourceType: "project", resourceId: gone.id, details: { name: gone.name } });
  return c.body(null, 204);
});
