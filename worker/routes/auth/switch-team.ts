import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, notFound } from "../../lib/errors";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { roleScopes } from "../../lib/principal";
import { newRouter } from "../../lib/router";
import { authenticate } from "../../middleware/auth";
import { getUser, membershipOf, teamsOfUser } from "../../services/accounts";
import { sessionSchema } from "./schema";
import { startSession } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/auth/switch-team",
  summary: "Make another of your teams the session's current team",
  security: [{ session: [] }],
  middleware: [authenticate],
  request: { body: jsonBody(z.object({ team_id: z.string().min(1).max(64) })) },
  responses: { 200: jsonContent(sessionSchema), ...authErrors },
});

export const switchTeamRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  if (p.via !== "session") throw new ApiError("invalid_argument", "only a logged-in session can switch teams; API keys belong to one team");
  const db = c.get("db");
  const { team_id } = c.req.valid("json");
  const team = await membershipOf(db, team_id, p.userId);
  if (!team) throw notFound("team");
  await startSession(c, { userId: p.userId, teamId: team.id, role: team.role }, p.session);
  const [user, teams] = await Promise.all([getUser(db, p.userId), teamsOfUser(db, p.userId)]);
  return c.json({ user, team, teams, scopes: roleScopes[team.role], via: "session" }, 200);
});
