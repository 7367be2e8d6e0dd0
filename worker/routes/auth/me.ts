import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { authenticate } from "../../middleware/auth";
import { getUser, teamsOfUser } from "../../services/accounts";
import { sessionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/me",
  summary: "Who is calling: the user, the current team, every team of the user, the scopes",
  security: bearerSecurity,
  middleware: [authenticate],
  responses: { 200: jsonContent(sessionSchema), ...authErrors },
});

export const meRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const db = c.get("db");
  const [user, teams] = await Promise.all([getUser(db, p.userId), teamsOfUser(db, p.userId)]);
  const team = teams.find((t) => t.id === p.teamId);
  if (!team) throw new ApiError("unauthenticated", "you are no longer a member of this team; log in again");
  return c.json({ user, team, teams, scopes: p.scopes, via: p.via }, 200);
});
