import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { expectError, makeTeam, type Team } from "./helpers/harness";
import { sql } from "./helpers/db";
import { TEST_KEY_CACHE_TTL_SECONDS } from "./helpers/global-setup";
import { cookieIn, joinTeam } from "./helpers/membership";

// Members join by accepting an invite (joinTeam, tests/invites.test.ts); these
// tests cover what members may then do.

const pastTtl = () => new Promise((r) => setTimeout(r, (TEST_KEY_CACHE_TTL_SECONDS + 0.5) * 1000));
const actions = async (teamId: string) =>
  (await sql<{ action: string; resource_id: string }>("select action, resource_id from audit_log where team_id = $1 order by id", [teamId])).map(
    (r) => `${r.action} ${r.resource_id}`,
  );
const roles = async (owner: Team) =>
  Object.fromEntries((await api("GET", "/api/v1/members", { creds: owner.creds })).body.members.map((m: any) => [m.user_id, m.role]));

test("roles bound what members can do; admins manage members up to admin", async () => {
  const owner = await makeTeam();
  const viewer = await makeTeam();
  const admin = await makeTeam();
  await joinTeam(owner, viewer, "viewer");
  await joinTeam(owner, admin, "admin");
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
  for (const u of [a, b]) await joinTeam(owner, u, "member");
  const asA = await cookieIn(a, owner.id);
  expectError(await api("DELETE", `/api/v1/members/${b.userId}`, { creds: asA }), 403, "permission_denied");
  expect((await api("DELETE", `/api/v1/members/${a.userId}`, { creds: asA })).status).toBe(204);
  expectError(await api("DELETE", `/api/v1/members/${owner.userId}`, { creds: owner.creds }), 409, "conflict");
  expect(await actions(owner.id)).toContain(`member.leave ${a.userId}`);
});

test("POST /members/leave: any member leaves, their credentials stop within the TTL; the owner must transfer first", async () => {
  const owner = await makeTeam();
  const [viewer, member] = [await makeTeam(), await makeTeam()];
  await joinTeam(owner, viewer, "viewer");
  await joinTeam(owner, member, "member");
  const asViewer = await cookieIn(viewer, owner.id);
  const key = await api("POST", "/api/v1/api-keys", { creds: await cookieIn(member, owner.id), json: { label: "m", scopes: ["read"] } });
  expect(key.status, key.text).toBe(201);
  const memberKey = { key: key.body.key as string };
  expect((await api("GET", "/api/v1/projects", { creds: memberKey })).status).toBe(200);
  // A viewer leaves with its session; a read-only key is enough to leave too.
  expect((await api("POST", "/api/v1/members/leave", { creds: asViewer })).status).toBe(204);
  expect((await api("POST", "/api/v1/members/leave", { creds: memberKey })).status).toBe(204);
  await pastTtl();
  expectError(await api("GET", "/api/v1/projects", { creds: memberKey }), 401, "unauthenticated");
  expectError(await api("GET", "/api/v1/projects", { creds: asViewer }), 401, "unauthenticated");
  expect(Object.keys(await roles(owner))).toEqual([owner.userId]);
  expect(await actions(owner.id)).toEqual(expect.arrayContaining([`member.leave ${viewer.userId}`, `member.leave ${member.userId}`]));

  const left = await api("POST", "/api/v1/members/leave", { creds: owner.creds });
  expectError(left, 409, "conflict");
  expect(left.body.error.message).toMatch(/transfer ownership/);
});

test("a removed member's key is refused within the cache TTL, and the removal is audited", async () => {
  const owner = await makeTeam();
  const m = await makeTeam();
  await joinTeam(owner, m, "member");
  const asM = await cookieIn(m, owner.id);
  const key = await api("POST", "/api/v1/api-keys", { creds: asM, json: { label: "m", scopes: ["read", "write"] } });
  expect((await api("GET", "/api/v1/projects", { creds: { key: key.body.key } })).status).toBe(200);
  expect((await api("DELETE", `/api/v1/members/${m.userId}`, { creds: owner.creds })).status).toBe(204);
  await pastTtl();
  expectError(await api("GET", "/api/v1/projects", { creds: { key: key.body.key } }), 401, "unauthenticated");
  expect(await actions(owner.id)).toContain(`member.remove ${m.userId}`);
});

test("ownership moves only by transfer: the new owner has it, the old one becomes admin, there is always one owner", async () => {
  const owner = await makeTeam();
  const admin = await makeTeam();
  await joinTeam(owner, admin, "admin");
  const asAdmin = await cookieIn(admin, owner.id);
  // Not by a role change, in either direction.
  const promote = await api("PATCH", `/api/v1/members/${admin.userId}`, { creds: owner.creds, json: { role: "owner" } });
  expectError(promote, 409, "conflict");
  expect(promote.body.error.message).toMatch(/transfer-ownership/);
  expectError(await api("PATCH", `/api/v1/members/${owner.userId}`, { creds: owner.creds, json: { role: "admin" } }), 409, "conflict");
  // Only the owner transfers; admins hold the admin scope but not the role.
  expectError(await api("POST", "/api/v1/teams/transfer-ownership", { creds: asAdmin, json: { user_id: admin.userId } }), 403, "permission_denied");
  const stranger = await makeTeam();
  expectError(await api("POST", "/api/v1/teams/transfer-ownership", { creds: owner.creds, json: { user_id: stranger.userId } }), 404, "not_found");
  expectError(await api("POST", "/api/v1/teams/transfer-ownership", { creds: owner.creds, json: {} }), 400, "invalid_argument");

  const moved = await api("POST", "/api/v1/teams/transfer-ownership", { creds: owner.creds, json: { user_id: admin.userId } });
  expect(moved.status, moved.text).toBe(200);
  expect(await roles(owner)).toEqual({ [owner.userId]: "admin", [admin.userId]: "owner" });
  expect(await actions(owner.id)).toContain(`team.transfer_ownership ${owner.id}`);
  // The old owner's admin key now carries the admin role: it cannot transfer back.
  await pastTtl();
  expectError(await api("POST", "/api/v1/teams/transfer-ownership", { creds: owner.creds, json: { user_id: owner.userId } }), 403, "permission_denied");
  // The old owner may now leave; the new one may not.
  const asNewOwner = await cookieIn(admin, owner.id);
  expectError(await api("POST", "/api/v1/members/leave", { creds: asNewOwner }), 409, "conflict");
  expect((await api("POST", "/api/v1/members/leave", { creds: owner.creds })).status).toBe(204);
  const [{ n } = { n: -1 }] = await sql<{ n: number }>("select count(*)::int as n from memberships where team_id = $1 and role = 'owner'", [owner.id]);
  expect(n).toBe(1);
});

test("role changes are audited with from and to", async () => {
  const owner = await makeTeam();
  const m = await makeTeam();
  await joinTeam(owner, m, "member");
  expect((await api("PATCH", `/api/v1/members/${m.userId}`, { creds: owner.creds, json: { role: "viewer" } })).status).toBe(200);
  const [row] = await sql<{ details: any; actor_user_id: string; actor_key_id: string }>(
    "select details, actor_user_id, actor_key_id from audit_log where team_id = $1 and action = 'member.role_change'",
    [owner.id],
  );
  expect(row).toMatchObject({ details: { from: "member", to: "viewer" }, actor_user_id: owner.userId, actor_key_id: owner.keyId });
});

test("paths beside /members/{user_id} are not served as user ids", async () => {
  const owner = await makeTeam();
  for (const method of ["PATCH", "DELETE"]) {
    const res = await api(method, "/api/v1/members/leave", { creds: owner.creds, json: method === "PATCH" ? { role: "viewer" } : undefined });
    expectError(res, 404, "not_found");
    expect(res.body.error.message).toMatch(/^no route for /);
  }
});

test("removing someone who is not a member is a 404", async () => {
  const owner = await makeTeam();
  const stranger = await makeTeam();
  expectError(await api("DELETE", `/api/v1/members/${stranger.userId}`, { creds: owner.creds }), 404, "not_found");
  expectError(await api("PATCH", `/api/v1/members/${stranger.userId}`, { creds: owner.creds, json: { role: "viewer" } }), 404, "not_found");
});
