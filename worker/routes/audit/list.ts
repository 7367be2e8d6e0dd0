import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard, needRole } from "../../middleware/auth";
import { listAudit, type AuditEntry } from "../../services/audit";
import { auditEventSchema, auditQuery } from "./schema";

// Admins and owners only: the admin scope (a key's) and the admin role (a
// session's, or the key's user's current role) must both hold.
const route = createRoute({
  method: "get",
  path: "/",
  summary: "Read the team's audit log, newest first, filtered and paged",
  security: bearerSecurity,
  middleware: [...guard("admin"), needRole("admin")],
  request: { query: auditQuery },
  responses: {
    200: jsonContent(z.object({ events: z.array(auditEventSchema), next_cursor: z.string().nullable() })),
    ...authErrors,
  },
});

export const listAuditRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const page = await listAudit(c.get("db"), c.get("principal").teamId, {
    action: q.action,
    actor: q.actor,
    resourceType: q.resource_type,
    resourceId: q.resource_id,
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
    limit: q.limit,
    cursor: q.cursor,
  });
  return c.json({ events: page.events.map(auditJson), next_cursor: page.nextCursor }, 200);
});

const auditJson = (e: AuditEntry) => ({
  id: String(e.id),
  at: e.at.toISOString(),
  actor: { kind: e.actorKind as "user", user_id: e.actorUserId, email: e.email, key_id: e.actorKeyId },
  action: e.action,
  resource_type: e.resourceType,
  resource_id: e.resourceId,
  address: e.address,
  details: e.details,
});
