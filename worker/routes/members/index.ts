import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { ApiError } from "../../lib/errors";
import { forgetMember } from "../../lib/key-cache";
import { authErrors, errorResponse, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { changeRole, listMembers, removeMember } from "../../services/members";
import { authLimit, hitRateLimit } from "../../services/rate-limit";
import { leaveRoute } from "./leave";
import { addMemberBody, changeRoleBody, memberJson, memberParams, memberSchema, userIdOnly } from "./schema";

// Four small verbs on one resource; kept in one file while they stay this short
// (leaving, which any member may do, is in leave.ts).
const list = createRoute({
  method: "get",
  path: "/",
  summary: "List the team's members",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(z.object({ members: z.array(memberSchema) })), ...authErrors },
});

const add = createRoute({
  method: "post",
  path: "/",
  summary: "Refused: people join a team by accepting an invite (POST /api/v1/invites), never by being added by email",
  description:
    "Kept so old clients get an answer that says how members join. The answer is the same for every email, " +
    "so it tells nothing about who has an account; it is rate limited like log-in.",
  security: bearerSecurity,
  middleware: guard("admin"),
  request: { body: jsonBody(addMemberBody) },
  responses: { ...authErrors, 403: errorResponse("Adding by email is refused"), 429: errorResponse("Too many attempts") },
});

const patch = createRoute({
  method: "patch",
  path: "/{user_id}",
  summary: "Change a member's role",
  security: bearerSecurity,
  middleware: [userIdOnly, ...guard("admin")],
  request: { params: memberParams, body: jsonBody(changeRoleBody) },
  responses: { 200: jsonContent(z.object({ members: z.array(memberSchema) })), ...authErrors },
});

const remove = createRoute({
  method: "delete",
  path: "/{user_id}",
  summary: "Remove a member (or leave the team yourself); their keys in this team are revoked",
  security: bearerSecurity,
  middleware: [userIdOnly, ...guard("write")],
  request: { params: memberParams },
  responses: { 204: noContent, ...authErrors },
});

export const membersRouter = newRouter();
// Before /{user_id}, so the static path wins.
membersRouter.route("/", leaveRoute);
membersRouter
  .openapi(list, async (c) => {
    const rows = await listMembers(c.get("db"), c.get("principal").teamId);
    return c.json({ members: rows.map(memberJson) }, 200);
  })
  .openapi(add, async (c) => {
    const p = c.get("principal");
    await hitRateLimit(c.get("db"), authLimit(c.get("config"), `members-add:${p.userId}`, "attempts by this user"));
    // No lookup of the email happens, so the answer cannot differ by account.
    throw new ApiError(
      "permission_denied",
      "members join a team only by accepting an invite, so nobody is added without consent: " +
        "an admin creates an invite link with POST /api/v1/invites and sends it to the person",
    );
  })
  .openapi(patch, async (c) => {
    const p = c.get("principal");
    const db = c.get("db");
    const userId = c.req.valid("param").user_id;
    const change = await changeRole(db, p.teamId, p.role ?? "viewer", userId, c.req.valid("json").role);
    forgetMember(p.teamId, userId);
    await audit(c, { action: "member.role_change", resourceType: "member", resourceId: userId, details: change });
    return c.json({ members: (await listMembers(db, p.teamId)).map(memberJson) }, 200);
  })
  .openapi(remove, async (c) => {
    const p = c.get("principal");
    const userId = c.req.valid("param").user_id;
    const { role } = await removeMember(c.get("db"), p.teamId, { userId: p.userId, role: p.role ?? "viewer" }, userId);
    forgetMember(p.teamId, userId);
    const action = userId === p.userId ? "member.leave" : "member.remove";
    await audit(c, { action, resourceType: "member", resourceId: userId, details: { role } });
    return c.body(null, 204);
  });
