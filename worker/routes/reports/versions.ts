import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getVersion, listVersions } from "../../services/reports";
import { reportParams, versionJson, versionParams, versionSchema, versionSummarySchema } from "./schema";

const listRoute = createRoute({
  method: "get",
  path: "/reports/{report}/versions",
  summary: "A report's saved versions, newest first",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: reportParams },
  responses: { 200: jsonContent(z.object({ versions: z.array(versionSummarySchema) })), ...authErrors },
});

const getRoute = createRoute({
  method: "get",
  path: "/reports/{report}/versions/{version}",
  summary: "One saved version of a report, with its blocks",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: versionParams },
  responses: { 200: jsonContent(z.object({ version: versionSchema })), ...authErrors },
});

export const versionsRoute = newRouter()
  .openapi(listRoute, async (c) => {
    const rows = await listVersions(c.get("db"), c.get("principal").teamId, c.req.valid("param").report);
    return c.json({ versions: rows.map(versionJson) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { report, version } = c.req.valid("param");
    const v = await getVersion(c.get("db"), c.get("principal").teamId, report, version);
    return c.json({ version: { ...versionJson(v), blocks: v.blocks } }, 200);
  });
