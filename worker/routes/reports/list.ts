import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { projectParams } from "../projects/schema";
import { listReports } from "../../services/reports";
import { reportSummarySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/projects/{project}/reports",
  summary: "List a project's reports, most recently saved first",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: projectParams },
  responses: { 200: jsonContent(z.object({ reports: z.array(reportSummarySchema) })), ...authErrors },
});

export const listReportsRoute = newRouter().openapi(route, async (c) => {
  const rows = await listReports(c.get("db"), c.get("principal").teamId, c.req.valid("param").project);
  const reports = rows.map((r) => ({ id: r.id, title: r.title, version: r.version, updated_at: r.updatedAt.toISOString(), updated_by: r.updatedBy }));
  return c.json({ reports }, 200);
});
