import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { saveWorkspace } from "../../services/workspaces";
import { projectParams, putBody, workspaceJson, workspaceSchema } from "./schema";

// Read scope is enough: the settings are the member's own view, so a viewer
// may keep theirs; nobody else's view and no team data change.
const route = createRoute({
  method: "put",
  path: "/projects/{project}/workspace",
  summary: "Save the calling member's chart workspace for a project (settings ≤ 64 KiB)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: projectParams, body: jsonBody(putBody) },
  responses: { 200: jsonContent(z.object({ workspace: workspaceSchema }), "Saved"), ...authErrors },
});

export const putWorkspaceRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const w = await saveWorkspace(c.get("db"), p.teamId, p.userId, c.req.valid("param").project, c.req.valid("json").settings);
  await audit(c, { action: "workspace.update", resourceType: "project", resourceId: w.projectId });
  return c.json({ workspace: workspaceJson(w) }, 200);
});
