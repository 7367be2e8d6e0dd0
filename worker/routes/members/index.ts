import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { addMember, changeRole, listMembers, removeMember } from "../../services/members";
import { addMemberBody, changeRoleBody, memberJson, memberParams, memberSchema } from "./schema";

// Four small verbs on one resource; kept in one file while they stay this short.
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
  summary: "Add an existing user to the team (takes a seat)",
  security: bearerSecurity,
  middleware: guard("admin"),
  request: { body: jsonBody(addMemberBody) },
  responses: { 201: jsonContent(z.object({ members: z.array(memberSchema) }), "Added"), ...authErrors },
});

const patch = createRoute({
  method: "patch",
  path: "/{user_id}",
  summary: "Change a member's role",
  security: bearerSecurity,
  middleware: guard("admin"),
  request: { params: memberParams, body: jsonBody(changeRoleBody) },
  responses: { 200: jsonContent(z.object({ members: z.array(memberSchema) })), ...authErrors },
});

const remove = createRoute({
  method: "delete",
  path: "/{user_id}",
  summary: "Remove a member (or leave the team yourself)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: memberParams },
  responses: { 204: noContent, ...authErrors },
});

export const membersRouter = newRouter();
membersRouter
  .openapi(list, async (c) => {
    const rows = await listMembers(c.get("db"), c.get("principal").teamId);
    return c.json({ members: rows.map(memberJson) }, 200);
  })
  .openapi(add, async (c) => {
    const p = c.get("principal");
    const db = c.get("db");
    await addMember(db, p.teamId, p.role ?? "viewer", c.req.valid("json"));
    return c.json({ members: (await listMembers(db, p.teamId)).map(memberJson) }, 201);
  })
  .openapi(patch, async (c) => {
    const p = c.get("principal");
    const db = c.get("db");
    await changeRole(db, p.teamId, p.role ?? "viewer", c.req.valid("param").user_id, c.req.valid("json").role);
    return c.json({ members: (await listMembers(db, p.teamId)).map(memberJson) }, 200);
  })
  .openapi(remove, async (c) => {
    const p = c.get("principal");
    await removeMember(c.get("db"), p.teamId, { userId: p.userId, role: p.role ?? "viewer" }, c.req.valid("param").user_id);
    return c.body(null, 204);
  });
