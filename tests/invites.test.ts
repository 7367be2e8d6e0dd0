import { describe, expect, test } from "vitest";
import { api, randomIp, sessionCookie, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, inviteToken, joinTeam } from "./helpers/membership";

const lookup = (token: string) =>
  api("GET", `/api/v1/invites/lookup?${new URLSearchParams({ token })}`, { headers: { "cf-connecting-ip": randomIp() } });
const accept = (user: Team, token: string) => api("POST", "/api/v1/invites/accept", { creds: user.creds, json: { token } });
const actions = async (teamId: string) =>
  (await sql<{ action: string }>("select action from audit_log where team_id = $1 order by id", [teamId])).map((r) => r.action);

describe("an invite link", () => {
  test("is shown once, looked up without credentials, accepted once, and audited", async () => {
    const owner = await makeTeam("Inviting");
    const created = await api("POST", "/api/v1/invites", { creds: owner.creds, json: { role: "viewer" } });
    expect(created.status, created.text).toBe(201);
    const { invite, token, url } = created.body;
    expect(token).toMatch(new RegExp(`^inv_${invite.id}_[0-9a-zA-Z]{40}$`));
    expect(url).toMatch(new RegExp(`/invite/${token}$`));
    expect(invite).toMatchObject({ role: "viewer", email: null, created_by: owner.userId, status: "pending", accepted_at: null });
    // Default life: 168 hours.
    const life = Date.parse(invite.expires_at) - Date.parse(invite.created_at);
    expect(Math.abs(life - 168 * 3_600_000)).toBeLessThan(5_000);
    const stored = await sql<{ secret_hash: string }>("select secret_hash from invites where id = $1", [invite.id]);
    expect(stored[0]!.secret_hash).not.toContain(token.slice(-40));

    const seen = await lookup(token);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body).toMatchObject({ role: "viewer", email: null, status: "pending", expires_at: invite.expires_at });
    expect(seen.body.team_name).toMatch(/^Inviting /);

    const joiner = await makeTeam();
    const ok = await accept(joiner, token);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.team).toMatchObject({ id: owner.id, role: "viewer", plan: "free" });
    const members = await api("GET", "/api/v1/members", { creds: owner.creds });
    expect(members.body.members.find((m: any) => m.user_id === joiner.userId)?.role).toBe("viewer");
    // The joiner's session reaches the new team as a viewer.
    const asJoiner = await cookieIn(joiner, owner.id);
    expect((await api("GET", "/api/v1/projects", { creds: asJoiner })).status).toBe(200);

    const list = await api("GET", "/api/v1/invites", { creds: owner.creds });
    expect(list.body.invites[0]).toMatchObject({ id: invite.id, status: "accepted", accepted_by: joiner.userId });
    expect(list.text).not.toContain(token);

    const again = await accept(await makeTeam(), token);
    expectError(again, 400, "invalid_argument");
    expect(again.body.error.message).toMatch(/already used/);
    expectError(await lookup(token), 400, "invalid_argument");
    expect(await actions(owner.id)).toEqual(expect.arrayContaining(["invite.create", "invite.accept"]));
  });

  test("can be revoked while pending, and then neither looks up nor accepts", async () => {
    const owner = await makeTeam();
    const created = await api("POST", "/api/v1/invites", { creds: owner.creds, json: { role: "member", expires_in_hours: 1 } });
    const { invite, token } = created.body;
    expect((await api("DELETE", `/api/v1/invites/${invite.id}`, { creds: owner.creds })).status).toBe(204);
    const seen = await lookup(token);
    expectError(seen, 400, "invalid_argument");
    expect(seen.body.error.message).toMatch(/revoked/);
    expectError(await accept(await makeTeam(), token), 400, "invalid_argument");
    expectError(await api("DELETE", `/api/v1/invites/${invite.id}`, { creds: owner.creds }), 400, "invalid_argument");
    const list = await api("GET", "/api/v1/invites", { creds: owner.creds });
    expect(list.body.invites[0]).toMatchObject({ id: invite.id, status: "revoked" });
    expect(list.body.invites[0].revoked_at).toBeTypeOf("string");
    expect(await actions(owner.id)).toEqual(expect.arrayContaining(["invite.create", "invite.revoke"]));
    // Another team's invite is not found (also tests/security.test.ts).
    const other = await makeTeam();
    const theirs = await api("POST", "/api/v1/invites", { creds: other.creds, json: { role: "member" } });
    expectError(await api("DELETE", `/api/v1/invites/${theirs.body.invite.id}`, { creds: owner.creds }), 404, "not_found");
  });

  test("expires", async () => {
    const owner = await makeTeam();
    const created = await api("POST", "/api/v1/invites", { creds: owner.creds, json: { role: "member" } });
    await sql("update invites set expires_at = now() - interval '1 second' where id = $1", [created.body.invite.id]);
    const seen = await lookup(created.body.token);
    expectError(seen, 400, "invalid_argument");
    expect(seen.body.error.message).toMatch(/expired/);
    expectError(await accept(await makeTeam(), created.body.token), 400, "invalid_argument");
    const list = await api("GET", "/api/v1/invites", { creds: owner.creds });
    expect(list.body.invites[0].status).toBe("expired");
  });

  test("meant for an email is accepted only by that user", async () => {
    const owner = await makeTeam();
    const meant = await makeTeam();
    const token = await inviteToken(owner, "member", { email: meant.email.toUpperCase() });
    expect((await lookup(token)).body.email).toBe(meant.email);
    const wrong = await accept(await makeTeam(), token);
    expectError(wrong, 403, "permission_denied");
    expect(wrong.body.error.message).toMatch(/another email/);
    expect((await accept(meant, token)).status).toBe(200);
  });

  test("an unknown, tampered or malformed token is a 404", async () => {
    const owner = await makeTeam();
    const token = await inviteToken(owner);
    const tampered = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    for (const t of [tampered, "inv_0000000000000000_" + "x".repeat(40), "nonsense"]) {
      expectError(await lookup(t), 404, "not_found");
      expectError(await accept(await makeTeam(), t), 404, "not_found");
    }
    expect((await accept(await makeTeam(), token)).status).toBe(200);
  });

  test("a member already in the team gets 409 and the invite stays pending", async () => {
    const owner = await makeTeam();
    const m = await makeTeam();
    await joinTeam(owner, m, "member");
    const token = await inviteToken(owner, "admin");
    const res = await accept(m, token);
    expectError(res, 409, "conflict");
    expect((await lookup(token)).body.status).toBe("pending");
  });

  test("works right after sign-up, with the new session cookie", async () => {
    const owner = await makeTeam();
    const token = await inviteToken(owner, "member");
    const email = `new-${uniq()}@example.com`;
    const signup = await api("POST", "/api/v1/signup", {
      json: { email, password: "correct horse battery staple", team_name: "Mine" },
      headers: { "cf-connecting-ip": randomIp() },
    });
    expect(signup.status, signup.text).toBe(201);
    const cookie = sessionCookie(signup.headers);
    const res = await api("POST", "/api/v1/invites/accept", { creds: { cookie }, json: { token } });
    expect(res.status, res.text).toBe(200);
    const sw = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie }, json: { team_id: owner.id } });
    expect(sw.status, sw.text).toBe(200);
    expect(sw.body.team).toMatchObject({ id: owner.id, role: "member" });
  });
});

describe("who may invite", () => {
  test("admins and owners; a member or viewer is refused; nobody invites an owner", async () => {
    const owner = await makeTeam();
    const admin = await makeTeam();
    const member = await makeTeam();
    await joinTeam(owner, admin, "admin");
    await joinTeam(owner, member, "member");
    const asAdmin = await cookieIn(admin, owner.id);
    expect((await api("POST", "/api/v1/invites", { creds: asAdmin, json: { role: "admin" } })).status).toBe(201);
    const asMember = await cookieIn(member, owner.id);
    expectError(await api("POST", "/api/v1/invites", { creds: asMember, json: { role: "viewer" } }), 403, "permission_denied");
    expectError(await api("GET", "/api/v1/invites", { creds: asMember }), 403, "permission_denied");
    const asOwner = await api("POST", "/api/v1/invites", { creds: owner.creds, json: { role: "owner" } });
    expectError(asOwner, 400, "invalid_argument");
    expect(asOwner.body.error.message).toMatch(/role/);
  });

  test("bad input is a 400 naming the field", async () => {
    const owner = await makeTeam();
    const cases: [unknown, RegExp][] = [
      [{}, /role/],
      [{ role: "member", expires_in_hours: 0 }, /expires_in_hours/],
      [{ role: "member", expires_in_hours: 721 }, /expires_in_hours/],
      [{ role: "member", expires_in_hours: 1.5 }, /expires_in_hours/],
      [{ role: "member", email: "not-an-email" }, /email/],
    ];
    for (const [json, field] of cases) {
      const res = await api("POST", "/api/v1/invites", { creds: owner.creds, json });
      expectError(res, 400, "invalid_argument");
      expect(res.body.error.message).toMatch(field);
    }
    const noToken = await api("POST", "/api/v1/invites/accept", { creds: owner.creds, json: {} });
    expectError(noToken, 400, "invalid_argument");
    expect(noToken.body.error.message).toMatch(/token/);
    expectError(await api("GET", "/api/v1/invites/lookup", { headers: { "cf-connecting-ip": randomIp() } }), 400, "invalid_argument");
  });
});

describe("seats", () => {
  test("are taken at acceptance: exactly at the limit succeeds, one over is a 402 naming limit, used and plan", async () => {
    const owner = await makeTeam();
    await sql(`update teams set plan_overrides = '{"seats": 3}' where id = $1`, [owner.id]);
    const tokens = [await inviteToken(owner), await inviteToken(owner), await inviteToken(owner)];
    expect((await accept(await makeTeam(), tokens[0]!)).status).toBe(200);
    expect((await accept(await makeTeam(), tokens[1]!)).status).toBe(200); // the third seat: at the limit
    const over = await accept(await makeTeam(), tokens[2]!);
    expectError(over, 402, "quota_exceeded");
    expect(over.body.error).toMatchObject({ limit: 3, used: 3, plan: "free", limit_name: "seats" });
    expect(over.body.error.message).toMatch(/seats/);
    // Refused whole: the invite is still usable once a seat frees up.
    expect((await lookup(tokens[2]!)).body.status).toBe("pending");
    const members = await api("GET", "/api/v1/members", { creds: owner.creds });
    expect(members.body.members).toHaveLength(3);
  });

  test("concurrent acceptances never take more seats than the plan has", async () => {
    const owner = await makeTeam();
    await sql(`update teams set plan_overrides = '{"seats": 3}' where id = $1`, [owner.id]);
    const users = await Promise.all(Array.from({ length: 6 }, () => makeTeam()));
    const tokens = await Promise.all(users.map(() => inviteToken(owner)));
    const results = await Promise.all(users.map((u, i) => accept(u, tokens[i]!)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 402, 402, 402, 402]);
    const [{ n } = { n: -1 }] = await sql<{ n: number }>("select count(*)::int as n from memberships where team_id = $1", [owner.id]);
    expect(n).toBe(3);
  });
});
