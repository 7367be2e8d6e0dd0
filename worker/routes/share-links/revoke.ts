import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { forgetShareLink } from "../../lib/key-cache";
import { authErrors, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { revokeShareLink } from "../../services/share-links";
import { linkParams } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/share-links/{link}",
  summary: "Revoke a share link (takes effect everywhere within a minute)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: linkParams },
  responses: { 204: noContent, ...authErrors },
});

export const revokeShareLinkRoute = newRouter().openapi(route, async (c) => {
  const { link } = c.req.valid("param");
  const before = await revokeShareLink(c.get("db"), c.get("storage"), c.get("principal").teamId, link);
  // This isolate stops serving it now; others within KEY_CACHE_TTL_SECONDS.
  forgetShareLink(link);
  if (!before.revokedAt) {
    await audit(c, { action: "share_link.revoke", resourceType: "share_link", resourceId: link, details: { report_id: before.reportId } });
  }
  return c.body(null, 204);
});
