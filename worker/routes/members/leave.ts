import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { forgetMember } from "../../lib/key-cache";
import { authErrors, errorResponse, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { leaveTeam } from "../../services/members";

// Any member may leave, viewers included (so read scope suffices); the owner
// must transfer ownership first, since a team always has one owner.
const route = createRoute({
  method: "post",
  path: "/leave",
  summary: "Leave the current team; your keys in it are revoked",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 204: noContent, ...authErrors, 409: errorResponse("The owner cannot leave; transfer ownership first") },
});

export const leaveRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const { role } = await leaveTeam(c.get("db"), p.teamId, p.userId);
  forgetMember(p.teamId, p.userId);
  await audit(c, { action: "member.leave", resourceType: "member", resourceId: p.userId, details: { role } });
  return c.body(null, 204);
});
