import { createRoute, z } from "@hono/zod-openapi";
import { errorResponse, jsonContent, publicErrors } from "../../lib/openapi";
import { newRouter } from "../../lib/router";
import { timestamp } from "../../lib/validation";
import { inviteStatus, lookupInvite } from "../../services/invites";
import { authLimit, hitRateLimit } from "../../services/rate-limit";
import { clientAddress } from "../auth/client-address";
import { inviteRoleSchema, tokenSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/lookup",
  summary: "What an invite link is for, so the accept page can say so (no credentials needed)",
  description:
    "Unknown or tampered tokens are 404; a used, revoked or expired invite is a 400 saying which. " +
    "Rate limited per address like sign-up, so tokens cannot be probed quickly.",
  request: { query: z.object({ token: tokenSchema }) },
  responses: {
    200: jsonContent(
      z.object({ team_name: z.string(), role: inviteRoleSchema, email: z.string().nullable(), expires_at: timestamp, status: z.string() }),
    ),
    ...publicErrors,
    404: errorResponse("No such invite"),
  },
});

export const lookupInviteRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  await hitRateLimit(db, authLimit(c.get("config"), `invite-lookup:${clientAddress(c)}`));
  const i = await lookupInvite(db, c.req.valid("query").token);
  return c.json(
    { team_name: i.teamName, role: i.role as "admin", email: i.email, expires_at: i.expiresAt.toISOString(), status: inviteStatus(i) },
    200,
  );
});
