import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { updateProject } from "../../services/projects";
import { projectJson, projectParams, projectSchema, updateProjectBody } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/{project}",
  summary: "Rename a project or change its description",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: projectParams, body: jsonBody(updateProjectBody) },
  responses: { 200: jsonContent(z.object({ project: projectSchema })), ...authErrors },
});

export const updateProjectRoute = newRouter().openapi(route, async (c) => {
  const project = await updateProject(c.get("db"), c.get("principal").teamId, c.req.valid("param").project, c.req.valid("json"));
  return c.json({ project: projectJson(project) }, 200);
});
