import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { ApiError } from "../../lib/errors";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { roleRank } from "../../lib/principal";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getProjectInTeam, updateProject } from "../../services/projects";
import { checkProjectRetention, setProjectRetention } from "../../services/retention";
import { projectJson, projectParams, projectSchema, updateProjectBody } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/{project}",
  summary: "Rename a project, change its description, or shorten its history retention",
  description:
    "retention_days needs the owner or admin role (it deletes history) and may only shorten the plan's retention; null restores the plan's. Audited as project.retention.",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: projectParams, body: jsonBody(updateProjectBody) },
  responses: { 200: jsonContent(z.object({ project: projectSchema })), ...authErrors },
});

export const updateProjectRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const p = c.get("principal");
  const { retention_days: retentionDays, ...patch } = c.req.valid("json");
  let project = await getProjectInTeam(db, p.teamId, c.req.valid("param").project);
  if (retentionDays !== undefined) {
    // Shortening retention deletes history at the next pass: not a member's call.
    if (!p.role || roleRank[p.role] < roleRank.admin) {
      throw new ApiError("permission_denied", "retention_days: changing a project's retention needs the owner or admin role");
    }
    // Checked before any write, so a refused body changes nothing.
    await checkProjectRetention(db, p.teamId, retentionDays);
  }
  if (patch.name !== undefined || patch.description !== undefined) project = await updateProject(db, p.teamId, project.id, patch);
  if (retentionDays !== undefined) {
    await setProjectRetention(db, p.teamId, project.id, retentionDays);
    await audit(c, {
      action: "project.retention",
      resourceType: "project",
      resourceId: project.id,
      details: { from: project.retentionDays, to: retentionDays },
    });
    project = await getProjectInTeam(db, p.teamId, project.id);
  }
  return c.json({ project: projectJson(project) }, 200);
});
