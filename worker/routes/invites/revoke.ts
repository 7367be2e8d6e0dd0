import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, errorResponse, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { revokeInvite } from "../../services/invites";
import { inviteIdOnly, inviteParams } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/{invite}",
  summary: "Revoke a pending invite",
  security: bearerSecurity,
  middleware: [inviteIdOnly, ...guard("admin")],
  request: { params: inviteParams },
  responses: { 204: noContent, ...authErrors, 409: errorResponse("Used or revoked meanwhile") },
});

export const revokeInviteRoute = newRouter().openapi(route, async (c) => {
  const { invite } = c.req.valid("param");
  const row = await revokeInvite(c.get("db"), c.get("principal").teamId, invite);
  await audit(c, { action: "invite.revoke", resourceType: "invite", resourceId: row.id, details: { role: row.role, email: row.email } });
  return c.body(null, 204);
});
