import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { createInvite } from "../../services/invites";
import { createInviteBody, inviteJson, inviteSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Create an invite link (shown once); the seat is taken when it is accepted",
  description: "Admins and owners invite up to admin; nobody is invited as owner (ownership moves by transfer).",
  security: bearerSecurity,
  middleware: guard("admin"),
  request: { body: jsonBody(createInviteBody) },
  responses: {
    201: jsonContent(z.object({ invite: inviteSchema, token: z.string(), url: z.string() }), "Created; copy the link now"),
    ...authErrors,
  },
});

export const createInviteRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const body = c.req.valid("json");
  const { invite, token } = await createInvite(c.get("db"), p.teamId, { userId: p.userId, role: p.role ?? "viewer" }, {
    role: body.role,
    email: body.email,
    expiresInHours: body.expires_in_hours,
  });
  await audit(c, {
    action: "invite.create",
    resourceType: "invite",
    resourceId: invite.id,
    details: { role: invite.role, email: invite.email, expires_at: invite.expiresAt.toISOString() },
  });
  const url = `${new URL(c.req.url).origin}/invite/${token}`;
  return c.json({ invite: inviteJson(invite), token, url }, 201);
});
