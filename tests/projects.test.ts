import { expect, test } from "vitest";
import { api, uniq } from "./helpers/api";
import { expectError, makeKey, makeProject, makeTeam } from "./helpers/harness";

test("create, list, get by id and by name, rename, delete", async () => {
  const t = await makeTeam();
  const name = `mnist-${uniq()}`;
  const created = await api("POST", "/api/v1/projects", { creds: t.creds, json: { name, description: "digits" } });
  expect(created.status, created.text).toBe(201);
  const p = created.body.project;
  expect(p.id).toMatch(/^prj_[0-9A-Za-z]{20}$/);
  expect(p).toMatchObject({ name, description: "digits" });

  const list = await api("GET", "/api/v1/projects", { creds: t.creds });
  expect(list.body.projects.map((x: any) => x.id)).toEqual([p.id]);
  expect((await api("GET", `/api/v1/projects/${p.id}`, { creds: t.creds })).body.project.name).toBe(name);
  expect((await api("GET", `/api/v1/projects/${name}`, { creds: t.creds })).body.project.id).toBe(p.id);

  const renamed = await api("PATCH", `/api/v1/projects/${p.id}`, { creds: t.creds, json: { name: `${name}-v2` } });
  expect(renamed.status, renamed.text).toBe(200);
  expect(renamed.body.project.name).toBe(`${name}-v2`);
  expect(new Date(renamed.body.project.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(p.updated_at).getTime());
  expectError(await api("GET", `/api/v1/projects/${name}`, { creds: t.creds }), 404, "not_found");

  expect((await api("DELETE", `/api/v1/projects/${p.id}`, { creds: t.creds })).status).toBe(204);
  expectError(await api("GET", `/api/v1/projects/${p.id}`, { creds: t.creds }), 404, "not_found");
  expect((await api("GET", "/api/v1/projects", { creds: t.creds })).body.projects).toEqual([]);
});

test("names are unique within a team, not across teams", async () => {
  const a = await makeTeam();
  const b = await makeTeam();
  const name = `shared-${uniq()}`;
  await makeProject(a, name);
  expectError(await api("POST", "/api/v1/projects", { creds: a.creds, json: { name } }), 409, "conflict");
  await makeProject(b, name);
  const other = await makeProject(a);
  expectError(await api("PATCH", `/api/v1/projects/${other.id}`, { creds: a.creds, json: { name } }), 409, "conflict");
});

test("a team never sees another team's projects, by id or by name", async () => {
  const a = await makeTeam();
  const b = await makeTeam();
  const p = await makeProject(a);
  expect((await api("GET", "/api/v1/projects", { creds: b.creds })).body.projects).toEqual([]);
  expectError(await api("GET", `/api/v1/projects/${p.name}`, { creds: b.creds }), 404, "not_found");
  expectError(await api("DELETE", `/api/v1/projects/${p.id}`, { creds: b.creds }), 404, "not_found");
  expect((await api("GET", `/api/v1/projects/${p.id}`, { creds: a.creds })).status).toBe(200);
});

test("a read key lists projects but cannot create one", async () => {
  const t = await makeTeam();
  const { key } = await makeKey(t, ["read"]);
  expect((await api("GET", "/api/v1/projects", { creds: { key } })).status).toBe(200);
  expectError(await api("POST", "/api/v1/projects", { creds: { key }, json: { name: `x-${uniq()}` } }), 403, "permission_denied");
});
