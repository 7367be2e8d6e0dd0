import { createRoute } from "@hono/zod-openapi";
import { jsonBody, jsonContent, publicErrors } from "../../lib/openapi";
import { newRouter } from "../../lib/router";
import { signUp } from "../../services/accounts";
import { authLimit, hitRateLimit } from "../../services/rate-limit";
import { clientAddress } from "./client-address";
import { signupBody, signupResponse } from "./schema";
import { apiKeyJson } from "./serialize";
import { startSession } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/signup",
  summary: "Create a team, its owner and a first API key (shown once)",
  request: { body: jsonBody(signupBody) },
  responses: { 201: jsonContent(signupResponse, "Signed up; a session cookie is set"), ...publicErrors },
});

export const signupRoute = newRouter().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const config = c.get("config");
  await hitRateLimit(db, authLimit(config, `signup:${clientAddress(c)}`));
  const { user, team, key } = await signUp(db, { email: body.email, password: body.password, teamName: body.team_name, name: body.name, plan: c.get("config").DEFAULT_PLAN });
  await startSession(c, { userId: user.id, teamId: team.id, role: team.role });
  return c.json({ user, team, api_key: { ...apiKeyJson(key), key: key.key } }, 201);
});
