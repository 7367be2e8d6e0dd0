import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getProjectInTeam } from "../../services/projects";
import { projectJson, projectParams, projectSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/{project}",
  summary: "Get a project by id or name",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: projectParams },
  responses: { 200: jsonContent(z.object({ project: projectSchema })), ...authErrors },
});

export const getProjectRoute = newRouter().openapi(route, async (c) => {
  const project = await getProjectInTeam(c.get("db"), c.get("principal").teamId, c.req.valid("param").project);
  return c.json({ project: projectJson(project) }, 200);
});
