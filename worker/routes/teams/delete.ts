import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { ApiError } from "../../lib/errors";
import { keyCache, sessionCache } from "../../lib/key-cache";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { timestamp } from "../../lib/validation";
import { guard } from "../../middleware/auth";
import { markTeamForDeletion } from "../../services/team-deletion";

const route = createRoute({
  method: "delete",
  path: "/current",
  summary: "Delete the current team and everything in it (owner only; type the team's name to confirm)",
  description:
    "Every credential of the team stops working at once (other isolates within the key cache's TTL). " +
    "The data, artifact objects included, is deleted by the scheduled handler in bounded batches.",
  security: bearerSecurity,
  middleware: guard("admin"),
  request: { body: jsonBody(z.object({ confirm: z.string().max(200).openapi({ description: "The team's exact name" }) })) },
  responses: { 202: jsonContent(z.object({ team: z.object({ id: z.string(), name: z.string(), deleting_at: timestamp }) }), "Accepted"), ...authErrors },
});

export const deleteTeamRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  if (p.role !== "owner") throw new ApiError("permission_denied", "only the team's owner can delete it");
  // The audit row goes with the team in the end; until then it says who asked.
  const team = await markTeamForDeletion(c.get("db"), p.teamId, c.req.valid("json").confirm);
  await audit(c, { action: "team.delete", resourceType: "team", resourceId: p.teamId, details: { name: team.name } });
  const gone = (_: string, v: { teamId: string } | null) => v !== null && v.teamId === p.teamId;
  keyCache.deleteWhere(gone);
  sessionCache.deleteWhere(gone);
  return c.json({ team: { id: team.id, name: team.name, deleting_at: team.deletingAt.toISOString() } }, 202);
});
