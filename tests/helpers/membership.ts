import { expect } from "vitest";
import { api, randomIp, sessionCookie } from "./api";
import { sql } from "./db";
import type { Team } from "./harness";

// Puts `user` into `team` with a role the way people join: `team`'s owner
// creates an invite and `user` accepts it. Nobody is invited as owner, so that
// one role is still written behind the API's back (ownership otherwise moves
// only by POST /api/v1/teams/transfer-ownership).
export async function joinTeam(team: Team, user: Team, role: "owner" | "admin" | "member" | "viewer" = "member") {
  if (role === "owner") {
    await sql("insert into memberships (team_id, user_id, role) values ($1, $2, $3)", [team.id, user.userId, role]);
    return;
  }
  const token = await inviteToken(team, role);
  const accepted = await api("POST", "/api/v1/invites/accept", { creds: user.creds, json: { token } });
  expect(accepted.status, accepted.text).toBe(200);
}

// A fresh invite link's token from `team`'s owner.
export async function inviteToken(team: Team, role: "admin" | "member" | "viewer" = "member", extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/api/v1/invites", { creds: team.creds, json: { role, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.body.token as string;
}

// A fresh log-in of `user`, switched to `teamId`: a session cookie for that team.
export async function cookieIn(user: Team, teamId: string) {
  const login = await api("POST", "/api/v1/login", {
    json: { email: user.email, password: user.password },
    headers: { "cf-connecting-ip": randomIp() },
  });
  expect(login.status, login.text).toBe(200);
  const sw = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie: sessionCookie(login.headers) }, json: { team_id: teamId } });
  expect(sw.status, sw.text).toBe(200);
  return { cookie: sessionCookie(sw.headers) };
}
