import { createRoute } from "@hono/zod-openapi";
import { jsonBody, jsonContent, publicErrors } from "../../lib/openapi";
import { newRouter } from "../../lib/router";
import { signUp } from "../../services/accounts";
import { hitRateLimit } from "../../services/rate-limit";
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
  await hitRateLimit(db, `signup:${clientAddress(c)}`, config.AUTH_RATE_LIMIT, config.AUTH_RATE_WINDOW_SECONDS);
  const { user, team, key } = await signUp(db, { email: body.email, password: body.password, teamName: body.team_name, name: body.name });
  await startSession(c, user.id, team.id, team.role);
  return c.json({ user, team, api_key: { ...apiKeyJson(key), key: key.key } }, 201);
});
