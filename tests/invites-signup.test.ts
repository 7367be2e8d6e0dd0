import { expect, test } from "vitest";
import { api, randomIp, sessionCookie, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";

// Signing up through an invite link joins the inviting team and makes no team
// of one's own (as W&B does); an unusable invite leaves no account behind.

const password = "correct horse battery staple";
const invite = async (owner: Team, json: Record<string, unknown> = { role: "member" }) => {
  const res = await api("POST", "/api/v1/invites", { creds: owner.creds, json });
  expect(res.status, res.text).toBe(201);
  return res.body.token as string;
};
const signup = (json: Record<string, unknown>) => api("POST", "/api/v1/signup", { json, headers: { "cf-connecting-ip": randomIp() } });
const accounts = async (email: string) => (await sql<{ n: number }>("select count(*)::int as n from users where email = $1", [email]))[0]!.n;

test("sign-up with an invite lands in the inviting team only, with the invited role and a key it allows", async () => {
  const owner = await makeTeam("Inviting");
  const token = await invite(owner, { role: "member" });
  const email = `new-${uniq()}@example.com`;
  const res = await signup({ email, password, invite: token });
  expect(res.status, res.text).toBe(201);
  expect(res.body.team).toMatchObject({ id: owner.id, role: "member" });
  // No team of its own: the user's only membership is the invited one.
  const teams = await sql<{ team_id: string; role: string }>("select team_id, role from memberships where user_id = $1", [res.body.user.id]);
  expect(teams).toEqual([{ team_id: owner.id, role: "member" }]);
  // Its first key carries what a member may have, not admin.
  expect(res.body.api_key.scopes.sort()).toEqual(["read", "write"]);
  const runs = await api("GET", "/api/v1/projects", { creds: { key: res.body.api_key.key } });
  expect(runs.status, runs.text).toBe(200);
  // The session cookie is for the invited team.
  const me = await api("GET", "/api/v1/me", { creds: { cookie: sessionCookie(res.headers) } });
  expect(me.status, me.text).toBe(200);
  expect(me.body.team).toMatchObject({ id: owner.id, role: "member" });
  expect(me.body.teams.map((t: { id: string }) => t.id)).toEqual([owner.id]);
  // Used once; audited in the team joined.
  expectError(await signup({ email: `again-${uniq()}@example.com`, password, invite: token }), 400, "invalid_argument");
  const audit = await sql<{ action: string; details: any }>("select action, details from audit_log where team_id = $1 and action = 'invite.accept'", [owner.id]);
  expect(audit).toHaveLength(1);
  expect(audit[0]!.details).toMatchObject({ user_id: res.body.user.id, role: "member", on_signup: true });
});

test("an unusable invite refuses the sign-up and leaves no account", async () => {
  const owner = await makeTeam("Inviting");
  const tampered = `${(await invite(owner)).slice(0, -4)}AAAA`;
  const bound = await invite(owner, { role: "viewer", email: `someone-${uniq()}@example.com` });
  const revokedToken = await invite(owner);
  const id = revokedToken.split("_")[1];
  expect((await api("DELETE", `/api/v1/invites/${id}`, { creds: owner.creds })).status).toBe(204);
  for (const [token, status, code] of [
    [tampered, 404, "not_found"],
    [bound, 403, "permission_denied"],
    [revokedToken, 400, "invalid_argument"],
  ] as const) {
    const email = `x-${uniq()}@example.com`;
    expectError(await signup({ email, password, invite: token }), status, code);
    expect(await accounts(email)).toBe(0);
  }
  // No seat left: 402 naming the limit, and no account.
  await sql(`update teams set plan_overrides = '{"seats": 1}' where id = $1`, [owner.id]);
  const email = `full-${uniq()}@example.com`;
  const full = await signup({ email, password, invite: await invite(owner) });
  expectError(full, 402, "quota_exceeded");
  expect(full.body.error).toMatchObject({ limit_name: "seats", limit: 1, used: 1 });
  expect(await accounts(email)).toBe(0);
});

test("sign-up without a team name needs an invite", async () => {
  const res = await signup({ email: `n-${uniq()}@example.com`, password });
  expectError(res, 400, "invalid_argument");
  expect(res.body.error.message).toMatch(/team_name/);
});

// A user who left every team can still get in: log-in with an invite accepts
// it. Logging in with an invite to a team one is already in just logs in there.
test("log-in with an invite: the way back in for a user with no team left", async () => {
  const first = await makeTeam("First");
  const email = `nomad-${uniq()}@example.com`;
  const joined = await signup({ email, password, invite: await invite(first) });
  expect(joined.status, joined.text).toBe(201);
  const left = await api("POST", "/api/v1/members/leave", { creds: { cookie: sessionCookie(joined.headers) } });
  expect(left.status, left.text).toBeLessThan(300);
  const login = (json: Record<string, unknown>) => api("POST", "/api/v1/login", { json: { email, password, ...json }, headers: { "cf-connecting-ip": randomIp() } });
  const stranded = await login({});
  expectError(stranded, 403, "permission_denied");
  expect(stranded.body.error.message).toMatch(/invite/);

  const second = await makeTeam("Second");
  const token = await invite(second, { role: "viewer" });
  const back = await login({ invite: token });
  expect(back.status, back.text).toBe(200);
  expect(back.body.team).toMatchObject({ id: second.id, role: "viewer" });
  // Again with the same (now used) invite is refused; with a fresh one to the same team, it just logs in.
  expectError(await login({ invite: token }), 400, "invalid_argument");
  const again = await login({ invite: await invite(second) });
  expect(again.status, again.text).toBe(200);
  expect(again.body.team.id).toBe(second.id);
  const audit = await sql<{ n: number }>("select count(*)::int as n from audit_log where team_id = $1 and action = 'invite.accept'", [second.id]);
  expect(audit[0]!.n).toBe(1);
});
