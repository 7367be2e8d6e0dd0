import { expect } from "vitest";
import { api, randomIp, sessionCookie } from "./api";
import { sql } from "./db";
import type { Team } from "./harness";

// Puts `user` into `team` with a role, standing in for accepting an invite:
// nobody can be added by email any more, and invites are not built yet. This
// is the one place tests write memberships behind the API's back.
export async function joinTeam(team: Team, user: Team, role: "owner" | "admin" | "member" | "viewer" = "member") {
  await sql("insert into memberships (team_id, user_id, role) values ($1, $2, $3)", [team.id, user.userId, role]);
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
