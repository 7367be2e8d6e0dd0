import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../../lib/errors";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { shareScope } from "../../lib/share-access";
import { guardShare } from "../../middleware/auth";
import { getReportInTeam, getVersion } from "../../services/reports";
import { reportJson, reportParams, reportSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/reports/{report}",
  summary: "Get a report (also by a share link, for its own report)",
  security: bearerSecurity,
  // A share link reads its own report through this route (and no other report).
  middleware: guardShare("read"),
  request: { params: reportParams },
  responses: { 200: jsonContent(z.object({ report: reportSchema })), ...authErrors },
});

export const getReportRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  // A share link reads its one report; any other id is as good as absent.
  // "shared" names the link's own report: the share page (/share/<token>) has
  // only the token, not the report id.
  const scope = shareScope(c);
  const param = c.req.valid("param").report;
  const id = scope && param === "shared" ? scope.reportId : param;
  if (scope && scope.reportId !== id) throw notFound("report");
  const report = await getReportInTeam(db, teamId, id);
  if (scope?.frozenVersion) {
    // A frozen link shows the report as it was shared.
    const v = await getVersion(db, teamId, id, scope.frozenVersion);
    const frozen = { ...report, title: v.title, blocks: v.blocks, version: v.version, updatedBy: v.savedBy, updatedAt: v.savedAt };
    return c.json({ report: reportJson(frozen) }, 200);
  }
  return c.json({ report: reportJson(report) }, 200);
});
