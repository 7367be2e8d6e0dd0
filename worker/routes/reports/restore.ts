import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { restoreVersion } from "../../services/reports";
import { reportJson, reportSchema, restoreBody, versionParams } from "./schema";

const route = createRoute({
  method: "post",
  path: "/reports/{report}/versions/{version}/restore",
  summary: "Save an old version's content as a new version",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: versionParams, body: jsonBody(restoreBody) },
  responses: {
    200: jsonContent(z.object({ report: reportSchema }), "Restored as a new version"),
    ...authErrors,
    409: errorResponse("Someone saved first; details.current holds their content"),
  },
});

export const restoreVersionRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const { report: id, version } = c.req.valid("param");
  const report = await restoreVersion(c.get("db"), p.teamId, p.userId, id, version, c.req.valid("json").base_version);
  await audit(c, { action: "report.restore", resourceType: "report", resourceId: report.id, details: { from_version: version, version: report.version } });
  return c.json({ report: reportJson(report) }, 200);
});
