import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { ApiError } from "../../lib/errors";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { createShareLink } from "../../services/share-links";
import { teamLimits } from "../../services/team-limits";
import { createLinkBody, reportParams, shareLinkJson, shareLinkSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/reports/{report}/share-links",
  summary: "Share a report: a read-only, expiring link; its token is in this response only",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: reportParams, body: jsonBody(createLinkBody) },
  responses: {
    201: jsonContent(z.object({ link: shareLinkSchema, token: z.string(), url: z.string() }), "Created; store the token now"),
    ...authErrors,
  },
});

export const createShareLinkRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const body = c.req.valid("json");
  const db = c.get("db");
  const { plan, limits } = await teamLimits(db, p.teamId);
  if (body.expires_in_days > limits.shareLinkMaxDays) {
    throw new ApiError(
      "invalid_argument",
      `expires_in_days: at most ${limits.shareLinkMaxDays} on the ${plan} plan (got ${body.expires_in_days})`,
    );
  }
  const expiresAt = new Date(Date.now() + body.expires_in_days * 86_400_000);
  const link = await createShareLink(db, c.get("storage"), p.teamId, p.userId, c.req.valid("param").report, { expiresAt, frozen: body.frozen });
  await audit(c, {
    action: "share_link.create",
    resourceType: "share_link",
    resourceId: link.id,
    details: { report_id: link.reportId, expires_at: link.expiresAt.toISOString(), frozen: link.frozen, snapshot_bytes: link.snapshotBytes },
  });
  const url = `${new URL(c.req.url).origin}/share/${link.token}`;
  return c.json({ link: shareLinkJson(link), token: link.token, url }, 201);
});
