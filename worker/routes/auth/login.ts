import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { authErrors, jsonBody, jsonContent, publicErrors } from "../../lib/openapi";
import { roleScopes } from "../../lib/principal";
import { newRouter } from "../../lib/router";
import { checkCredentials, teamsOfUser } from "../../services/accounts";
import { recordAudit } from "../../services/audit";
import { acceptInvite, inviteByToken } from "../../services/invites";
import { authLimit, hitRateLimit, refundRateLimit } from "../../services/rate-limit";
import { clientAddress } from "./client-address";
import { loginBody, sessionSchema } from "./schema";
import { startSession } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/login",
  summary: "Log in; sets the session cookie. With `invite`, accept it and log in to that team",
  request: { body: jsonBody(loginBody) },
  responses: { 200: jsonContent(sessionSchema), ...publicErrors, 401: authErrors[401] },
});

export const loginRoute = newRouter().openapi(route, async (c) => {
  const { email, password, invite } = c.req.valid("json");
  const db = c.get("db");
  const config = c.get("config");
  await hitRateLimit(db, authLimit(config, `login:${clientAddress(c)}`));
  // Per account too, so guesses spread over many addresses still hit a wall.
  // A successful log-in gives its attempt back, so a user's own log-ins never
  // lock them out; unknown emails are counted alike, so a 429 reveals no account.
  const perAccount = authLimit(config, `login-account:${email}`, "failed log-ins for this account");
  const now = Date.now();
  await hitRateLimit(db, perAccount, now);
  const user = await checkCredentials(db, email, password);
  await refundRateLimit(db, perAccount, now);
  let joined: string | undefined;
  if (invite !== undefined) {
    const accepted = await acceptInvite(db, invite, { id: user.id }).catch(async (err: unknown) => {
      // Already a member: log in to that team; the invite stays for someone else.
      if (err instanceof ApiError && err.code === "conflict") return { team: { id: (await inviteByToken(db, invite)).teamId }, invite: null };
      throw err;
    });
    joined = accepted.team.id;
    if (accepted.invite) await recordAudit(db, joined, { kind: "user", userId: user.id, address: clientAddress(c) }, {
      action: "invite.accept",
      resourceType: "invite",
      resourceId: accepted.invite.id,
      details: { user_id: user.id, role: accepted.invite.role, on_login: true },
    });
  }
  const teams = await teamsOfUser(db, user.id);
  const team = (joined && teams.find((t) => t.id === joined)) || teams[0];
  if (!team) throw new ApiError("permission_denied", "this account belongs to no team; log in with an invite link from a team owner");
  await startSession(c, { userId: user.id, teamId: team.id, role: team.role });
  return c.json({ user, team, teams, scopes: roleScopes[team.role], via: "session" }, 200);
});
