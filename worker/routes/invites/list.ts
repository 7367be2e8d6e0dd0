import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listInvites } from "../../services/invites";
import { inviteJson, inviteSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  summary: "The team's invites, newest first (never their tokens)",
  security: bearerSecurity,
  middleware: guard("admin"),
  responses: { 200: jsonContent(z.object({ invites: z.array(inviteSchema) })), ...authErrors },
});

export const listInvitesRoute = newRouter().openapi(route, async (c) => {
  const rows = await listInvites(c.get("db"), c.get("principal").teamId);
  return c.json({ invites: rows.map(inviteJson) }, 200);
});
