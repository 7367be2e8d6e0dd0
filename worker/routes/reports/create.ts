import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { projectParams } from "../projects/schema";
import { createReport } from "../../services/reports";
import { createReportBody, reportJson, reportSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/projects/{project}/reports",
  summary: "Create a report in a project",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: projectParams, body: jsonBody(createReportBody) },
  responses: { 201: jsonContent(z.object({ report: reportSchema }), "Created"), ...authErrors },
});

export const createReportRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const body = c.req.valid("json");
  const report = await createReport(c.get("db"), p.teamId, p.userId, c.req.valid("param").project, body);
  await audit(c, { action: "report.create", resourceType: "report", resourceId: report.id, details: { title: report.title, project_id: report.projectId } });
  return c.json({ report: reportJson(report) }, 201);
});
