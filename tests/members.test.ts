import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { expectError, makeTeam } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";

// Members join by accepting an invite (tests/member-join.test.ts); here they are
// put in place directly, and these tests cover what members may then do.

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
});

test("removing someone who is not a member is a 404", async () => {
  const owner = await makeTeam();
  const stranger = await makeTeam();
  expectError(await api("DELETE", `/api/v1/members/${stranger.userId}`, { creds: owner.creds }), 404, "not_found");
  expectError(await api("PATCH", `/api/v1/members/${stranger.userId}`, { creds: owner.creds, json: { role: "viewer" } }), 404, "not_found");
});
