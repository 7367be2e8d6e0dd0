import { createRoute, z } from "@hono/zod-openapi";
import { clientAddress } from "../auth/client-address";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { actorOf, recordAudit } from "../../services/audit";
import { acceptInvite } from "../../services/invites";
import { teamSchema } from "../auth/schema";
import { tokenSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/accept",
  summary: "Accept an invite as the calling user, taking a seat in its team",
  description:
    "Any credential of the user works (a session, or a key of any of the user's teams): the invite names the team. " +
    "New users sign up first (which makes their own team), then accept. Switch to the team with POST /api/v1/auth/switch-team.",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { body: jsonBody(z.object({ token: tokenSchema })) },
  responses: {
    200: jsonContent(z.object({ team: teamSchema })),
    ...authErrors,
    402: errorResponse("The team has no seat left"),
    409: errorResponse("Already a member"),
  },
});

export const acceptInviteRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const db = c.get("db");
  const { team, invite } = await acceptInvite(db, c.req.valid("json").token, { id: p.userId });
  // Recorded in the team joined, not the caller's current team.
  await recordAudit(db, team.id, actorOf(p, clientAddress(c)), {
    action: "invite.accept",
    resourceType: "invite",
    resourceId: invite.id,
    details: { user_id: p.userId, role: invite.role },
  });
  return c.json({ team }, 200);
});
