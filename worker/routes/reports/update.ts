import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { saveReport } from "../../services/reports";
import { reportJson, reportParams, reportSchema, updateReportBody } from "./schema";

const route = createRoute({
  method: "put",
  path: "/reports/{report}",
  summary: "Save a report: a new version, if base_version is still the current one",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: reportParams, body: jsonBody(updateReportBody) },
  responses: {
    200: jsonContent(z.object({ report: reportSchema }), "Saved as a new version"),
    ...authErrors,
    409: errorResponse("Someone saved first; details.current holds their content and details.current_version the version to build on"),
  },
});

export const updateReportRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const { title, blocks, base_version } = c.req.valid("json");
  const report = await saveReport(c.get("db"), p.teamId, p.userId, c.req.valid("param").report, { title, blocks }, base_version);
  await audit(c, { action: "report.update", resourceType: "report", resourceId: report.id, details: { version: report.version } });
  return c.json({ report: reportJson(report) }, 200);
});
