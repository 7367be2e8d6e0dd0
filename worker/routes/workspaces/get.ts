import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getWorkspace } from "../../services/workspaces";
import { projectParams, workspaceJson, workspaceSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/projects/{project}/workspace",
  summary: "The calling member's saved chart workspace for a project (empty settings if never saved)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: projectParams },
  responses: { 200: jsonContent(z.object({ workspace: workspaceSchema })), ...authErrors },
});

export const getWorkspaceRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const w = await getWorkspace(c.get("db"), p.teamId, p.userId, c.req.valid("param").project);
  return c.json({ workspace: workspaceJson(w) }, 200);
});
