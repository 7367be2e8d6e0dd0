import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { deleteReport } from "../../services/reports";
import { reportParams } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/reports/{report}",
  summary: "Delete a report, its versions and its share links",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: reportParams },
  responses: { 204: noContent, ...authErrors },
});

export const deleteReportRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const report = await deleteReport(c.get("db"), p.teamId, c.req.valid("param").report);
  await audit(c, { action: "report.delete", resourceType: "report", resourceId: report.id, details: { title: report.title } });
  return c.body(null, 204);
});
