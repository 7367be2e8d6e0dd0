import { createRoute } from "@hono/zod-openapi";
import { jsonBody, jsonContent, publicErrors } from "../../lib/openapi";
import { newRouter } from "../../lib/router";
import { signUp, signUpWithInvite } from "../../services/accounts";
import { recordAudit } from "../../services/audit";
import { authLimit, hitRateLimit } from "../../services/rate-limit";
import { clientAddress } from "./client-address";
import { signupBody, signupResponse } from "./schema";
import { apiKeyJson } from "./serialize";
import { startSession } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/signup",
  summary: "Create a team, its owner and a first API key (shown once); with `invite`, join the inviting team instead",
  request: { body: jsonBody(signupBody) },
  responses: { 201: jsonContent(signupResponse, "Signed up; a session cookie is set"), ...publicErrors },
});

export const signupRoute = newRouter().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const config = c.get("config");
  await hitRateLimit(db, authLimit(config, `signup:${clientAddress(c)}`));
  if (body.invite !== undefined) {
    const { user, team, key, invite } = await signUpWithInvite(db, { email: body.email, password: body.password, name: body.name, invite: body.invite });
    await recordAudit(db, team.id, { kind: "user", userId: user.id, address: clientAddress(c) }, {
      action: "invite.accept",
      resourceType: "invite",
      resourceId: invite.id,
      details: { user_id: user.id, role: team.role, on_signup: true },
    });
    await startSession(c, { userId: user.id, teamId: team.id, role: team.role });
    return c.json({ user, team, api_key: { ...apiKeyJson(key), key: key.key } }, 201);
  }
  const { user, team, key } = await signUp(db, { email: body.email, password: body.password, teamName: body.team_name!, name: body.name, plan: config.DEFAULT_PLAN });
  await startSession(c, { userId: user.id, teamId: team.id, role: team.role });
  return c.json({ user, team, api_key: { ...apiKeyJson(key), key: key.key } }, 201);
});
