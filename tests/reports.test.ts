import { expect, test } from "vitest";
import { api, type Creds } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeKey, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";

// Reports (issue 12): a title and blocks in a project, saved as versions with
// optimistic concurrency (a stale save is a 409 carrying what won).

const chart = (id: string, runs: string[]) => ({ type: "chart", id, runs, keys: ["loss"] });

async function setup() {
  const t = await makeTeam();
  const project = await makeProject(t);
  const run = await makeRun(t, project.name);
  return { t, project, run };
}

async function create(t: Team, project: string, json: unknown, creds: Creds = t.creds) {
  return api("POST", `/api/v1/projects/${project}/reports`, { creds, json });
}

async function made(t: Team, project: string, json: unknown) {
  const res = await create(t, project, json);
  expect(res.status, res.text).toBe(201);
  return res.body.report;
}

test("create, get, list newest first, save, delete", async () => {
  const { t, project, run } = await setup();
  const r = await made(t, project.id, { title: "Loss study", blocks: [{ type: "markdown", id: "m1", text: "# hi" }, chart("c1", [run])] });
  expect(r.id).toMatch(/^rpt_/);
  expect(r).toMatchObject({ project_id: project.id, title: "Loss study", version: 1, created_by: t.userId, updated_by: t.userId });
  // Defaults of the block contract are filled in and stored.
  expect(r.blocks[1]).toMatchObject({ type: "chart", runs: [run], keys: ["loss"], x: "step", smoothing: 0, log_y: false });

  const got = await api("GET", `/api/v1/reports/${r.id}`, { creds: t.creds });
  expect(got.status, got.text).toBe(200);
  expect(got.body.report).toEqual(r);

  const empty = await made(t, project.name, { title: "Second" });
  expect(empty.blocks).toEqual([]);
  const list = await api("GET", `/api/v1/projects/${project.id}/reports`, { creds: t.creds });
  expect(list.status, list.text).toBe(200);
  expect(list.body.reports.map((x: any) => x.id)).toEqual([empty.id, r.id]);
  expect(list.body.reports[0]).toEqual({ id: empty.id, title: "Second", version: 1, updated_at: empty.updated_at, updated_by: t.userId });

  const saved = await api("PUT", `/api/v1/reports/${r.id}`, { creds: t.creds, json: { title: "Loss study v2", blocks: [chart("c1", [run])], base_version: 1 } });
  expect(saved.status, saved.text).toBe(200);
  expect(saved.body.report).toMatchObject({ title: "Loss study v2", version: 2, created_at: r.created_at });
  expect(saved.body.report.blocks).toHaveLength(1);
  // The saved report is now the most recently updated.
  const relisted = await api("GET", `/api/v1/projects/${project.id}/reports`, { creds: t.creds });
  expect(relisted.body.reports.map((x: any) => x.id)).toEqual([r.id, empty.id]);

  // Share links go with the report (foreign key cascade).
  await sql("insert into share_links (id, team_id, report_id, secret_hash, created_by, expires_at) values ($1, $2, $3, 'x', $4, now() + interval '1 day')", [
    `shr_${r.id.slice(4)}`,
    t.id,
    r.id,
    t.userId,
  ]);
  expect((await api("DELETE", `/api/v1/reports/${r.id}`, { creds: t.creds })).status).toBe(204);
  expectError(await api("GET", `/api/v1/reports/${r.id}`, { creds: t.creds }), 404, "not_found");
  expectError(await api("DELETE", `/api/v1/reports/${r.id}`, { creds: t.creds }), 404, "not_found");
  expect(await sql("select 1 from share_links where report_id = $1", [r.id])).toHaveLength(0);
  expect(await sql("select 1 from report_versions where report_id = $1", [r.id])).toHaveLength(0);

  const actions = await sql<{ action: string }>("select action from audit_log where team_id = $1 and resource_id = $2 order by id", [t.id, r.id]);
  expect(actions.map((a) => a.action)).toEqual(["report.create", "report.update", "report.delete"]);
});

test("versions: listed newest first, read whole, restored as a new version", async () => {
  const { t, project, run } = await setup();
  const r = await made(t, project.id, { title: "v1", blocks: [chart("c1", [run])] });
  const put = (json: unknown) => api("PUT", `/api/v1/reports/${r.id}`, { creds: t.creds, json });
  expect((await put({ title: "v2", blocks: [], base_version: 1 })).status).toBe(200);
  expect((await put({ title: "v3", blocks: [{ type: "markdown", id: "m", text: "three" }], base_version: 2 })).status).toBe(200);

  const list = await api("GET", `/api/v1/reports/${r.id}/versions`, { creds: t.creds });
  expect(list.status, list.text).toBe(200);
  expect(list.body.versions.map((v: any) => [v.version, v.title, v.saved_by])).toEqual([
    [3, "v3", t.userId],
    [2, "v2", t.userId],
    [1, "v1", t.userId],
  ]);
  const v1 = await api("GET", `/api/v1/reports/${r.id}/versions/1`, { creds: t.creds });
  expect(v1.status, v1.text).toBe(200);
  expect(v1.body.version).toMatchObject({ version: 1, title: "v1", blocks: r.blocks, saved_by: t.userId });
  expectError(await api("GET", `/api/v1/reports/${r.id}/versions/9`, { creds: t.creds }), 404, "not_found");

  // A restore from a stale base is refused like a stale save.
  const stale = await api("POST", `/api/v1/reports/${r.id}/versions/1/restore`, { creds: t.creds, json: { base_version: 2 } });
  expectError(stale, 409, "conflict");
  expect(stale.body.error.details.current_version).toBe(3);

  const restored = await api("POST", `/api/v1/reports/${r.id}/versions/1/restore`, { creds: t.creds, json: { base_version: 3 } });
  expect(restored.status, restored.text).toBe(200);
  expect(restored.body.report).toMatchObject({ version: 4, title: "v1", blocks: r.blocks });
  const after = await api("GET", `/api/v1/reports/${r.id}/versions`, { creds: t.creds });
  expect(after.body.versions.map((v: any) => v.version)).toEqual([4, 3, 2, 1]);
  const restores = await sql("select details from audit_log where team_id = $1 and action = 'report.restore'", [t.id]);
  expect(restores.map((e) => e.details)).toEqual([{ from_version: 1, version: 4 }]);
});

test("two saves from the same base: one wins, the other gets a 409 with the winner's content", async () => {
  const { t, project, run } = await setup();
  const r = await made(t, project.id, { title: "base", blocks: [] });
  for (let round = 0; round < 3; round++) {
    const base = r.version + round;
    const a = { title: `A${round}`, blocks: [chart("a", [run])], base_version: base };
    const b = { title: `B${round}`, blocks: [{ type: "markdown", id: "b", text: "B" }], base_version: base };
    const [ra, rb] = await Promise.all([a, b].map((json) => api("PUT", `/api/v1/reports/${r.id}`, { creds: t.creds, json })));
    expect([ra!.status, rb!.status].sort(), `${ra!.text} ${rb!.text}`).toEqual([200, 409]);
    const [win, lose] = ra!.status === 200 ? [ra!, rb!] : [rb!, ra!];
    const winner = win === ra ? a : b;
    expectError(lose, 409, "conflict");
    expect(lose.body.error.message).toMatch(/base_version/);
    expect(lose.body.error.details).toMatchObject({
      current_version: base + 1,
      current: { title: winner.title, blocks: win.body.report.blocks, updated_by: t.userId, updated_at: win.body.report.updated_at },
    });
    const now = await api("GET", `/api/v1/reports/${r.id}`, { creds: t.creds });
    expect(now.body.report).toMatchObject({ version: base + 1, title: winner.title });
  }
  const versions = await api("GET", `/api/v1/reports/${r.id}/versions`, { creds: t.creds });
  expect(versions.body.versions.map((v: any) => v.version)).toEqual([4, 3, 2, 1]);
});

test("bad input is a 400 naming the field, on every route", async () => {
  const { t, project, run } = await setup();
  const r = await made(t, project.id, { title: "ok", blocks: [chart("c1", [run])] });
  const other = await setup();
  const bad = async (json: unknown, field: RegExp) => {
    const res = await create(t, project.id, json);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(field);
    const put = await api("PUT", `/api/v1/reports/${r.id}`, { creds: t.creds, json: { title: "x", blocks: [], base_version: 1, ...(json as object) } });
    expectError(put, 400, "invalid_argument");
    expect(put.body.error.message).toMatch(field);
  };
  await bad({ title: "" }, /^title: /);
  await bad({ title: "x".repeat(201) }, /^title: /);
  await bad({ title: "t", blocks: [{ type: "video", id: "v" }] }, /^blocks\.0\.type: /);
  await bad({ title: "t", blocks: Array.from({ length: 201 }, (_, i) => ({ type: "markdown", id: `m${i}`, text: "" })) }, /^blocks: .*200/);
  await bad({ title: "t", blocks: [chart("c1", [run]), { type: "markdown", id: "c1", text: "" }] }, /^blocks\.1\.id: duplicate block id "c1"/);
  await bad({ title: "t", blocks: [{ type: "markdown", id: "m", text: "x".repeat(100_001) }] }, /^blocks\.0\.text: /);
  const fat = Array.from({ length: 3 }, (_, i) => ({ type: "markdown", id: `m${i}`, text: "x".repeat(99_000) }));
  await bad({ title: "t", blocks: fat }, /^blocks: at most 262144 bytes/);
  await bad({ title: "t", blocks: [{ type: "markdown", id: "m", text: "nul \u0000" }] }, /^blocks\.0\.text: /);
  await bad({ title: "t", blocks: [{ type: "markdown", id: "m", text: "" }, chart("c", ["not-a-run"])] }, /^blocks\.1\.runs\.0: must be a run id/);
  // Another team's run, and a run that does not exist: named with its block.
  await bad({ title: "t", blocks: [{ type: "markdown", id: "m", text: "" }, chart("c", [run, other.run])] }, new RegExp(`^blocks\\.1\\.runs: run ${other.run} not found`));
  await bad({ title: "t", blocks: [chart("c", ["run_doesnotexist"])] }, /^blocks\.0\.runs: run run_doesnotexist not found/);

  const put = (json: unknown) => api("PUT", `/api/v1/reports/${r.id}`, { creds: t.creds, json });
  expect((await put({ title: "x", blocks: [] })).body.error.message).toMatch(/^base_version: /);
  expect((await put({ title: "x", blocks: [], base_version: 1.5 })).body.error.message).toMatch(/^base_version: /);
  expect((await put({ title: "x", base_version: 1 })).body.error.message).toMatch(/^blocks: /);
  for (const v of ["0", "abc", "-1"]) {
    const res = await api("GET", `/api/v1/reports/${r.id}/versions/${v}`, { creds: t.creds });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/^version: /);
  }
  const restore = await api("POST", `/api/v1/reports/${r.id}/versions/1/restore`, { creds: t.creds, json: {} });
  expectError(restore, 400, "invalid_argument");
  expect(restore.body.error.message).toMatch(/^base_version: /);
  // Nothing was saved by any refused request.
  expect((await api("GET", `/api/v1/reports/${r.id}`, { creds: t.creds })).body.report.version).toBe(1);
});

test("another team sees nothing; read keys and viewers cannot write", async () => {
  const { t, project, run } = await setup();
  const r = await made(t, project.id, { title: "mine", blocks: [chart("c1", [run])] });
  const stranger = await makeTeam("Stranger");
  const s = stranger.creds;
  expectError(await api("GET", `/api/v1/reports/${r.id}`, { creds: s }), 404, "not_found");
  expectError(await api("GET", `/api/v1/projects/${project.id}/reports`, { creds: s }), 404, "not_found");
  expectError(await api("PUT", `/api/v1/reports/${r.id}`, { creds: s, json: { title: "x", blocks: [], base_version: 1 } }), 404, "not_found");
  expectError(await api("GET", `/api/v1/reports/${r.id}/versions/1`, { creds: s }), 404, "not_found");
  expectError(await api("POST", `/api/v1/reports/${r.id}/versions/1/restore`, { creds: s, json: { base_version: 1 } }), 404, "not_found");
  expectError(await api("DELETE", `/api/v1/reports/${r.id}`, { creds: s }), 404, "not_found");

  const read = { key: (await makeKey(t, ["read"])).key };
  const viewer = await makeTeam("Viewer");
  await joinTeam(t, viewer, "viewer");
  for (const creds of [read, await cookieIn(viewer, t.id)]) {
    expect((await api("GET", `/api/v1/reports/${r.id}`, { creds })).status).toBe(200);
    expectError(await create(t, project.id, { title: "x" }, creds), 403, "permission_denied");
    expectError(await api("PUT", `/api/v1/reports/${r.id}`, { creds, json: { title: "x", blocks: [], base_version: 1 } }), 403, "permission_denied");
    expectError(await api("POST", `/api/v1/reports/${r.id}/versions/1/restore`, { creds, json: { base_version: 1 } }), 403, "permission_denied");
    expectError(await api("DELETE", `/api/v1/reports/${r.id}`, { creds }), 403, "permission_denied");
  }
  expect((await api("GET", `/api/v1/reports/${r.id}`, { creds: t.creds })).body.report).toMatchObject({ version: 1, title: "mine" });
});

test("a share link reads its own report: a live link the current version, a frozen link the shared one", async () => {
  const { t, project, run } = await setup();
  const r = await made(t, project.id, { title: "shared v1", blocks: [chart("c1", [run])] });
  const sibling = await made(t, project.id, { title: "not shared" });
  const link = async (frozen: boolean) => {
    const res = await api("POST", `/api/v1/reports/${r.id}/share-links`, { creds: t.creds, json: { frozen } });
    expect(res.status, res.text).toBe(201);
    return { token: res.body.token as string };
  };
  const [live, frozen] = [await link(false), await link(true)];
  const saved = await api("PUT", `/api/v1/reports/${r.id}`, { creds: t.creds, json: { title: "shared v2", blocks: [], base_version: 1 } });
  expect(saved.status, saved.text).toBe(200);

  const now = await api("GET", `/api/v1/reports/${r.id}`, { creds: live });
  expect(now.status, now.text).toBe(200);
  expect(now.body.report).toMatchObject({ id: r.id, version: 2, title: "shared v2", blocks: [] });
  const then = await api("GET", `/api/v1/reports/${r.id}`, { creds: frozen });
  expect(then.status, then.text).toBe(200);
  expect(then.body.report).toMatchObject({ id: r.id, version: 1, title: "shared v1", blocks: r.blocks, updated_at: r.updated_at });

  // Nothing else: not the team's other report, not the history, not a write.
  for (const creds of [live, frozen]) {
    expectError(await api("GET", `/api/v1/reports/${sibling.id}`, { creds }), 404, "not_found");
    expectError(await api("GET", `/api/v1/reports/${r.id}/versions`, { creds }), 404, "not_found");
    expectError(await api("GET", `/api/v1/reports/${r.id}/versions/1`, { creds }), 404, "not_found");
    const put = await api("PUT", `/api/v1/reports/${r.id}`, { creds, json: { title: "x", blocks: [], base_version: 2 } });
    expect([401, 404], put.text).toContain(put.status);
  }
});
