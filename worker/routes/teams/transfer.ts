import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { forgetMember } from "../../lib/key-cache";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listMembers, transferOwnership } from "../../services/members";
import { memberJson, memberSchema } from "../members/schema";

const route = createRoute({
  method: "post",
  path: "/transfer-ownership",
  summary: "Hand the current team to another member (owner only); the old owner becomes an admin",
  security: bearerSecurity,
  middleware: guard("admin"),
  request: { body: jsonBody(z.object({ user_id: z.string().min(1).max(64) })) },
  responses: { 200: jsonContent(z.object({ members: z.array(memberSchema) })), ...authErrors },
});

export const transferOwnershipRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const db = c.get("db");
  const to = c.req.valid("json").user_id;
  const { previousRole } = await transferOwnership(db, p.teamId, p.userId, to);
  // Both roles changed: this isolate forgets them now, others within the cache TTL.
  forgetMember(p.teamId, to);
  forgetMember(p.teamId, p.userId);
  await audit(c, {
    action: "team.transfer_ownership",
    resourceType: "team",
    resourceId: p.teamId,
    details: { from_user_id: p.userId, to_user_id: to, to_previous_role: previousRole },
  });
  return c.json({ members: (await listMembers(db, p.teamId)).map(memberJson) }, 200);
});
