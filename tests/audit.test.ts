import { expect, test } from "vitest";
import { api, randomIp, uniq, type Creds } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeKey, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";
import { putVersion } from "./helpers/routes/artifacts";

// The audit log (issue 11): who did what to which resource, when, from where;
// readable by owners and admins only, filtered and paged, never changed.

const send = (method: string, path: string, creds: Creds, json?: unknown, address?: string) =>
  api(method, path, { creds, json, headers: address ? { "cf-connecting-ip": address } : {} });

async function page(t: Team, query: Record<string, string>, creds: Creds = t.creds) {
  const res = await api("GET", `/api/v1/audit?${new URLSearchParams(query)}`, { creds });
  expect(res.status, res.text).toBe(200);
  return res.body as { events: any[]; next_cursor: string | null };
}
const events = async (t: Team, query: Record<string, string>, creds?: Creds) => (await page(t, { limit: "200", ...query }, creds)).events;

// The one event of `action` on `resourceId`.
async function one(t: Team, action: string, resourceId: string) {
  const found = await events(t, { action, resource_id: resourceId });
  expect(found, JSON.stringify(found)).toHaveLength(1);
  return found[0];
}

test("key create and revoke by a session: the user, the address, the key", async () => {
  const t = await makeTeam();
  const addr = randomIp();
  const created = await send("POST", "/api/v1/api-keys", { cookie: t.cookie }, { label: "ci", scopes: ["read"] }, addr);
  expect(created.status, created.text).toBe(201);
  const keyId = created.body.api_key.id;
  expect((await send("DELETE", `/api/v1/api-keys/${keyId}`, { cookie: t.cookie }, undefined, addr)).status).toBe(204);

  const create = await one(t, "api_key.create", keyId);
  expect(create).toMatchObject({ resource_type: "api_key", address: addr, details: { label: "ci", scopes: ["read"] } });
  expect(create.actor).toEqual({ kind: "user", user_id: t.userId, email: t.email, key_id: null });
  expect(Date.now() - Date.parse(create.at)).toBeLessThan(60_000);
  const revoke = await one(t, "api_key.revoke", keyId);
  expect(revoke.actor.kind).toBe("user");
  expect(Number(revoke.id)).toBeGreaterThan(Number(create.id));

  // A failed change records nothing.
  expectError(await send("DELETE", "/api/v1/api-keys/key_nope", t.creds), 404, "not_found");
  expect(await events(t, { action: "api_key.revoke", resource_id: "key_nope" })).toEqual([]);
});

test("projects and runs changed with a key (or its access token): the key's id is recorded", async () => {
  const t = await makeTeam();
  const addr = randomIp();
  const name = `p-${uniq()}`;
  const created = await send("POST", "/api/v1/projects", t.creds, { name }, addr);
  expect(created.status, created.text).toBe(201);
  const projectId = created.body.project.id;
  const runId = await makeRun(t, name);
  expect((await send("DELETE", `/api/v1/runs/${runId}`, t.creds, undefined, addr)).status).toBe(204);
  expect((await send("DELETE", `/api/v1/projects/${name}`, t.creds, undefined, addr)).status).toBe(204);

  const byKey = { kind: "api_key", user_id: t.userId, email: t.email, key_id: t.keyId };
  const pc = await one(t, "project.create", projectId);
  expect(pc).toMatchObject({ actor: byKey, resource_type: "project", address: addr, details: { name } });
  expect(await one(t, "run.delete", runId)).toMatchObject({ actor: byKey, resource_type: "run", address: addr });
  // Deleted by name, recorded by id.
  expect(await one(t, "project.delete", projectId)).toMatchObject({ actor: byKey, details: { name } });

  const token = await api("POST", "/api/v1/auth/token", { creds: t.creds });
  expect(token.status, token.text).toBe(200);
  const p2 = await send("POST", "/api/v1/projects", { token: token.body.access_token }, { name: `p-${uniq()}` });
  expect(p2.status, p2.text).toBe(201);
  expect((await one(t, "project.create", p2.body.project.id)).actor).toEqual(byKey);
});

test("artifact version delete and alias set and remove", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const name = `a-${uniq()}`;
  await putVersion(t, project.id, name, { "a.txt": Buffer.from("one") });
  const v2 = (await putVersion(t, project.id, name, { "a.txt": Buffer.from("two") })).version;
  const art = `/api/v1/projects/${project.id}/artifacts/${name}`;
  const artifactId = (await api("GET", art, { creds: t.creds })).body.artifact.id;
  expect(artifactId).toBeTypeOf("string");
  expect((await send("PUT", `${art}/aliases/best`, t.creds, { version: "v1" })).status).toBe(200);
  expect((await send("DELETE", `${art}/aliases/best`, t.creds)).status).toBe(204);
  expect((await send("DELETE", `${art}/versions/v2`, t.creds)).status).toBe(204);

  const set = await one(t, "artifact.alias_set", artifactId);
  expect(set).toMatchObject({ resource_type: "artifact", details: { alias: "best", version: 1 }, actor: { kind: "api_key" } });
  const rm = await one(t, "artifact.alias_remove", artifactId);
  expect(rm).toMatchObject({ details: { alias: "best" } });
  const del = await one(t, "artifact.version_delete", artifactId);
  expect(del).toMatchObject({ details: { version: 2, version_id: v2.id } });
  expect([del.id, rm.id, set.id].map(Number)).toEqual([del.id, rm.id, set.id].map(Number).sort((a, b) => b - a));
  // Deleting a version that is gone changes nothing and records nothing.
  expectError(await send("DELETE", `${art}/versions/v2`, t.creds), 404);
  expect(await events(t, { action: "artifact.version_delete", resource_id: artifactId })).toHaveLength(1);
});

test("MLflow: run and experiment delete and restore, registry deletes", async () => {
  const t = await makeTeam();
  const addr = randomIp();
  const ml = (method: string, path: string, json: unknown) => send(method, `/api/2.0/mlflow/${path}`, { basic: t.key }, json, addr);
  const exp = await ml("POST", "experiments/create", { name: `e-${uniq()}` });
  expect(exp.status, exp.text).toBe(200);
  const experimentId = exp.body.experiment_id;
  const run = await ml("POST", "runs/create", { experiment_id: experimentId });
  expect(run.status, run.text).toBe(200);
  const runId = run.body.run.info.run_id;
  for (const path of ["runs/delete", "runs/restore"]) expect((await ml("POST", path, { run_id: runId })).status).toBe(200);
  for (const path of ["experiments/delete", "experiments/restore"]) expect((await ml("POST", path, { experiment_id: experimentId })).status).toBe(200);
  const model = `m-${uniq()}`;
  expect((await ml("POST", "registered-models/create", { name: model })).status).toBe(200);
  expect((await ml("POST", "model-versions/create", { name: model, source: `runs:/${runId}/model`, run_id: runId })).status).toBe(200);
  expect((await ml("DELETE", "model-versions/delete", { name: model, version: "1" })).status).toBe(200);
  expect((await ml("DELETE", "registered-models/delete", { name: model })).status).toBe(200);

  const byKey = { kind: "api_key", key_id: t.keyId, user_id: t.userId };
  expect(await one(t, "run.delete", runId)).toMatchObject({ actor: byKey, address: addr, details: { via: "mlflow", soft: true } });
  expect(await one(t, "run.restore", runId)).toMatchObject({ actor: byKey, details: { via: "mlflow" } });
  expect(await one(t, "project.delete", experimentId)).toMatchObject({ details: { via: "mlflow", soft: true } });
  expect(await one(t, "project.restore", experimentId)).toMatchObject({ address: addr });
  expect(await one(t, "model_version.delete", `${model}/1`)).toMatchObject({ resource_type: "model_version" });
  expect(await one(t, "registered_model.delete", model)).toMatchObject({ resource_type: "registered_model", actor: byKey });
  // MLflow's refusals record nothing either.
  expect((await ml("DELETE", "registered-models/delete", { name: model })).status).toBe(404);
  expect(await events(t, { action: "registered_model.delete", resource_id: model })).toHaveLength(1);
});

// Rows written behind the API's back, to test time filters and LIKE escaping.
const insertRow = (teamId: string, action: string, at = new Date().toISOString()) =>
  sql("insert into audit_log (team_id, actor_kind, action, resource_type, at) values ($1, 'system', $2, 'test', $3)", [teamId, action, at]);

test("filters: action exact and prefix, actor, resource, time", async () => {
  const t = await makeTeam();
  const other = await makeKey(t, ["read", "write"]);
  const mine = [await makeProject(t), await makeProject(t)];
  const theirs = await send("POST", "/api/v1/projects", { key: other.key }, { name: `p-${uniq()}` });
  expect(theirs.status).toBe(201);

  const actions = (evs: any[]) => evs.map((e) => e.action);
  const keyEvents = await events(t, { action: "api_key.*" });
  expect(keyEvents.map((e) => e.resource_id)).toContain(other.id);
  expect(actions(keyEvents).every((a) => a.startsWith("api_key."))).toBe(true);
  // "_" in a prefix is a literal, not LIKE's any-character.
  await insertRow(t.id, "apiXkey.create");
  expect(actions(await events(t, { action: "api_key.*" }))).not.toContain("apiXkey.create");
  expect(actions(await events(t, { action: "api*" }))).toContain("apiXkey.create");
  expect(await events(t, { action: "project.create" })).toHaveLength(3);
  expect((await events(t, { action: "project.*" })).length).toBeGreaterThanOrEqual(3);
  expect(actions(await events(t, { action: "*" }))).toEqual(expect.arrayContaining(["api_key.create", "project.create", "apiXkey.create"]));

  const byOther = await events(t, { actor: other.id });
  expect(byOther.map((e) => e.resource_id)).toEqual([theirs.body.project.id]);
  const byUser = await events(t, { actor: t.userId, action: "project.create" });
  expect(byUser.map((e) => e.resource_id).sort()).toEqual([...mine.map((p) => p.id), theirs.body.project.id].sort());
  expect(await events(t, { resource_type: "project", resource_id: mine[0]!.id })).toHaveLength(1);
  expect(await events(t, { resource_type: "api_key", resource_id: mine[0]!.id })).toHaveLength(0);

  for (const at of ["2020-01-01T00:00:00Z", "2020-06-01T00:00:00Z", "2021-01-01T00:00:00Z"]) await insertRow(t.id, "test.old", at);
  const window = await events(t, { action: "test.old", since: "2020-03-01T00:00:00Z", until: "2021-01-01T00:00:00Z" });
  expect(window.map((e) => e.at)).toEqual(["2020-06-01T00:00:00.000Z"]);
  expect(window[0].actor).toEqual({ kind: "system", user_id: null, email: null, key_id: null });
  expect(await events(t, { action: "test.old", since: "2020-01-01T00:00:00+00:00" })).toHaveLength(3);
});

test("paging: newest first, no event repeated or missed across pages", async () => {
  const t = await makeTeam();
  for (let i = 0; i < 9; i++) await insertRow(t.id, "test.page");
  const all = await events(t, { action: "test.page" });
  expect(all).toHaveLength(9);
  const ids = all.map((e) => Number(e.id));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));

  const seen: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const p: { events: any[]; next_cursor: string | null } = await page(t, { action: "test.page", limit: "4", ...(cursor ? { cursor } : {}) });
    sizes.push(p.events.length);
    seen.push(...p.events.map((e) => e.id));
    cursor = p.next_cursor;
  } while (cursor);
  expect(sizes).toEqual([4, 4, 1]);
  expect(seen).toEqual(all.map((e) => e.id));
  // Exactly a page's worth left: the last full page says so, with no cursor.
  const exact = await page(t, { action: "test.page", limit: "9" });
  expect(exact.events).toHaveLength(9);
  expect(exact.next_cursor).toBeNull();
});

test("bad queries are 400s that name the field", async () => {
  const t = await makeTeam();
  for (let i = 0; i < 3; i++) await insertRow(t.id, "test.bad");
  const first = await page(t, { action: "test.bad", limit: "1" });
  const cursor = first.next_cursor!;
  expect(cursor).toBeTypeOf("string");
  const flipped = cursor.slice(0, 3) + (cursor[3] === "A" ? "B" : "A") + cursor.slice(4);
  const cases: [Record<string, string>, RegExp][] = [
    [{ limit: "0" }, /limit/],
    [{ limit: "201" }, /limit/],
    [{ limit: "ten" }, /limit/],
    [{ action: "%" }, /action/],
    [{ action: "a*b" }, /action/],
    [{ action: "*.delete" }, /action/],
    [{ action: "run.delete'; --" }, /action/],
    [{ since: "yesterday" }, /since/],
    [{ until: "2026-13-01T00:00:00Z" }, /until/],
    [{ since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z" }, /since/],
    [{ action: "test.bad", cursor: "not-a-cursor" }, /cursor/],
    [{ action: "test.bad", cursor: flipped }, /cursor/],
    [{ action: "test.other", cursor }, /cursor/],
  ];
  for (const [query, field] of cases) {
    const res = await api("GET", `/api/v1/audit?${new URLSearchParams(query)}`, { creds: t.creds });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message, JSON.stringify(query)).toMatch(field);
  }
});

test("only owners and admins read it; another team reads none of ours", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const [member, viewer, admin] = [await makeTeam("M"), await makeTeam("V"), await makeTeam("A")];
  await joinTeam(t, member, "member");
  await joinTeam(t, viewer, "viewer");
  await joinTeam(t, admin, "admin");
  for (const who of [member, viewer]) {
    expectError(await api("GET", "/api/v1/audit", { creds: await cookieIn(who, t.id) }), 403, "permission_denied");
  }
  const memberKey = await send("POST", "/api/v1/api-keys", await cookieIn(member, t.id), { label: "m", scopes: ["read", "write"] });
  expectError(await api("GET", "/api/v1/audit", { creds: { key: memberKey.body.key } }), 403, "permission_denied");
  const seenByAdmin = await events(t, { action: "project.create" }, await cookieIn(admin, t.id));
  expect(seenByAdmin.map((e) => e.resource_id)).toEqual([project.id]);

  const outsider = await makeTeam("Outsider");
  const ours = await page(t, { limit: "1" });
  expect(await events(outsider, { resource_id: project.id })).toEqual([]);
  const theirs = await events(outsider, {});
  expect(theirs.map((e) => e.resource_id)).not.toContain(project.id);
  expect(theirs.map((e) => e.resource_id)).not.toContain(memberKey.body.api_key.id);
  // Our cursor in their hands pages through their log, not ours.
  expect(ours.next_cursor).toBeTypeOf("string");
  const via = await events(outsider, { cursor: ours.next_cursor! });
  expect(via.map((e) => e.resource_id)).not.toContain(project.id);
});

test("append-only: the database refuses UPDATE, and no route changes or deletes events", async () => {
  const t = await makeTeam();
  await makeProject(t);
  await expect(sql("update audit_log set action = 'nothing' where team_id = $1", [t.id])).rejects.toThrow(/append-only/);
  for (const method of ["DELETE", "PATCH", "PUT", "POST"]) {
    const res = await api(method, "/api/v1/audit", { creds: t.creds, json: method === "DELETE" ? undefined : {} });
    expect(res.status, `${method}: ${res.text}`).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  }
  expect(await events(t, { action: "project.create" })).toHaveLength(1);
});
