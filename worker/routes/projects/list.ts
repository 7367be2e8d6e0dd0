import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listProjects } from "../../services/projects";
import { projectJson, projectSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  summary: "List the team's projects",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(z.object({ projects: z.array(projectSchema) })), ...authErrors },
});

export const listProjectsRoute = newRouter().openapi(route, async (c) => {
  const rows = await listProjects(c.get("db"), c.get("principal").teamId);
  return c.json({ projects: rows.map(projectJson) }, 200);
});
