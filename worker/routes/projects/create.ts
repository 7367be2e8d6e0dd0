import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { createProject } from "../../services/projects";
import { createProjectBody, projectJson, projectSchema } from "./schema";
import { audit } from "../../lib/audit-context";

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Create a project",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(createProjectBody) },
  responses: { 201: jsonContent(z.object({ project: projectSchema }), "Created"), ...authErrors },
});

export const createProjectRoute = newRouter().openapi(route, async (c) => {
  const project = await createProject(c.get("db"), c.get("principal").teamId, c.req.valid("json"));
  await audit(c, { action: "project.create", resourceType: "project", resourceId: project.id, details: { name: project.name } });
  return c.json({ project: projectJson(project) }, 201);
});
