import { expect, test } from "vitest";
import { api, randomIp, sessionCookie } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";

async function cookieIn(user: Team, teamId: string) {
  const login = await api("POST", "/api/v1/login", { json: { email: user.email, password: user.password }, headers: { "cf-connecting-ip": randomIp() } });
  const sw = await api("POST", "/api/v1/auth/switch-team", { creds: { cookie: sessionCookie(login.headers) }, json: { team_id: teamId } });
  expect(sw.status, sw.text).toBe(200);
  return { cookie: sessionCookie(sw.headers) };
}

test("an admin adds members by email with a role; roles bound what they can do", async () => {
  const owner = await makeTeam();
  const viewer = await makeTeam();
  const admin = await makeTeam();
  expect((await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: viewer.email, role: "viewer" } })).status).toBe(201);
  expect((await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: admin.email, role: "admin" } })).status).toBe(201);
  const list = await api("GET", "/api/v1/members", { creds: owner.creds });
  expect(list.body.members.map((m: any) => m.role).sort()).toEqual(["admin", "owner", "viewer"]);

  const asViewer = await cookieIn(viewer, owner.id);
  expect((await api("GET", "/api/v1/projects", { creds: asViewer })).status).toBe(200);
  expectError(await api("POST", "/api/v1/projects", { creds: asViewer, json: { name: "nope" } }), 403, "permission_denied");
  expectError(await api("POST", "/api/v1/api-keys", { creds: asViewer, json: { label: "w", scopes: ["write"] } }), 403, "permission_denied");

  const asAdmin = await cookieIn(admin, owner.id);
  expectError(
    await api("PATCH", `/api/v1/members/${viewer.userId}`, { creds: asAdmin, json: { role: "owner" } }),
    403,
    "permission_denied",
  );
  expect((await api("PATCH", `/api/v1/members/${viewer.userId}`, { creds: asAdmin, json: { role: "member" } })).status).toBe(200);
  expectError(await api("DELETE", `/api/v1/members/${owner.userId}`, { creds: asAdmin }), 403, "permission_denied");
});

test("a member cannot remove others but can leave; the last owner cannot leave", async () => {
  const owner = await makeTeam();
  const a = await makeTeam();
  const b = await makeTeam();
  for (const u of [a, b]) await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: u.email, role: "member" } });
  const asA = await cookieIn(a, owner.id);
  expectError(await api("DELETE", `/api/v1/members/${b.userId}`, { creds: asA }), 403, "permission_denied");
  expect((await api("DELETE", `/api/v1/members/${a.userId}`, { creds: asA })).status).toBe(204);
  expectError(await api("DELETE", `/api/v1/members/${owner.userId}`, { creds: owner.creds }), 409, "conflict");
});

test("adding someone without an account, or twice, is a clear 4xx", async () => {
  const owner = await makeTeam();
  const other = await makeTeam();
  const nobody = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: "nobody-here@example.com" } });
  expectError(nobody, 404, "not_found");
  expect(nobody.body.error.message).toMatch(/sign up/);
  expect((await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: other.email } })).status).toBe(201);
  expectError(await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: other.email } }), 409, "conflict");
});

test("the plan caps seats with a 402 that names the limit", async () => {
  const owner = await makeTeam();
  const users = await Promise.all([1, 2, 3, 4, 5].map(() => makeTeam()));
  for (const u of users.slice(0, 4)) {
    const r = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: u.email } });
    expect(r.status, r.text).toBe(201);
  }
  const over = await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: users[4]!.email } });
  expectError(over, 402, "quota_exceeded");
  expect(over.body.error.details).toMatchObject({ limit: "seats", value: 5 });
  expect(over.body.error.message).toMatch(/upgrade/);
  await sql("update teams set plan = 'team' where id = $1", [owner.id]);
  expect((await api("POST", "/api/v1/members", { creds: owner.creds, json: { email: users[4]!.email } })).status).toBe(201);
});
