import { expect, test } from "vitest";
import { api, stack, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeProject, makeTeam, type Team } from "./helpers/harness";
import { runCron } from "./helpers/scheduled";

const newRun = async (team: Team, project: string, body: unknown = {}) => {
  const res = await api("POST", `/api/v1/projects/${encodeURIComponent(project)}/runs`, { creds: team.creds, json: body });
  expect(res.status, res.text).toBe(201);
  return res.body.run;
};

test("a run in an existing project: created with defaults, read back, duration grows", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const run = await newRun(team, project.id, {
    config: { lr: 0.01, model: { layers: 4 } },
    tags: ["baseline", "baseline", "v1"],
    git: { commit: "abc", branch: "main", dirty: false, remote: null },
    host: "gpu-1",
  });
  expect(run.id).toMatch(/^run_/);
  expect(run.project_id).toBe(project.id);
  expect(run.name).toMatch(/^[a-z]+-[a-z]+-1$/);
  expect(run).toMatchObject({ status: "running", notes: "", tags: ["baseline", "v1"], summary: {}, exit_code: null, finished_at: null });
  expect(run.git).toEqual({ commit: "abc", branch: "main", dirty: false, remote: null });
  const second = await newRun(team, project.name, { name: "explicit" });
  expect(second.name).toBe("explicit");
  expect((await newRun(team, project.id)).name).toMatch(/-3$/);

  const got = await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds });
  expect(got.status).toBe(200);
  expect(got.body.run.config).toEqual({ lr: 0.01, model: { layers: 4 } });
  expect(got.body.run.duration_ms).toBeGreaterThanOrEqual(0);
});

test("a run in a project that does not exist yet creates the project, once", async () => {
  const team = await makeTeam();
  const name = `new-${uniq()}`;
  const a = await newRun(team, name);
  const b = await newRun(team, name);
  expect(a.project_id).toBe(b.project_id);
  const project = await api("GET", `/api/v1/projects/${name}`, { creds: team.creds });
  expect(project.body.project.id).toBe(a.project_id);
  // An id is never created on the fly, and a name must be a valid project name.
  expectError(await api("POST", "/api/v1/projects/prj_aaaaaaaaaaaaaaaaaaaa/runs", { creds: team.creds, json: {} }), 404, "not_found");
  const badName = await api("POST", "/api/v1/projects/bad%20name!/runs", { creds: team.creds, json: {} });
  expectError(badName, 400, "invalid_argument");
  expect(badName.body.error.message).toMatch(/^project:/);
});

test("PATCH merges config keys and replaces name, tags and notes", async () => {
  const team = await makeTeam();
  const run = await newRun(team, `p-${uniq()}`, { config: { lr: 0.1, optimizer: "adam", keep: true }, tags: ["a"] });
  const res = await api("PATCH", `/api/v1/runs/${run.id}`, {
    creds: team.creds,
    json: { config: { lr: 0.05, epochs: 3 }, tags: ["b", "c"], notes: "tried a lower lr", name: "renamed" },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body.run).toMatchObject({
    name: "renamed",
    tags: ["b", "c"],
    notes: "tried a lower lr",
    config: { lr: 0.05, optimizer: "adam", keep: true, epochs: 3 },
  });
  expect(Date.parse(res.body.run.updated_at)).toBeGreaterThanOrEqual(Date.parse(run.updated_at));
  expectError(await api("PATCH", `/api/v1/runs/${run.id}`, { creds: team.creds, json: {} }), 400, "invalid_argument");
  // Each patch fits, but the merge would not.
  const half = { a: "x".repeat(40_000) };
  expect((await api("PATCH", `/api/v1/runs/${run.id}`, { creds: team.creds, json: { config: half } })).status).toBe(200);
  const over = await api("PATCH", `/api/v1/runs/${run.id}`, { creds: team.creds, json: { config: { b: "y".repeat(40_000) } } });
  expectError(over, 400, "invalid_argument");
  expect(over.body.error.message).toMatch(/^config:/);
});

test("heartbeat and finish: statuses, exit code, retried finish keeps its end time", async () => {
  const team = await makeTeam();
  const project = `p-${uniq()}`;
  const run = await newRun(team, project);
  const hb = await api("POST", `/api/v1/runs/${run.id}/heartbeat`, { creds: team.creds });
  expect(hb.status, hb.text).toBe(200);
  expect(hb.body.run).toMatchObject({ id: run.id, status: "running" });
  expect(Date.parse(hb.body.run.heartbeat_at)).toBeGreaterThanOrEqual(Date.parse(run.heartbeat_at));

  for (const [status, exit_code] of [["finished", 0], ["failed", 1], ["killed", null]] as const) {
    const r = await newRun(team, project);
    const res = await api("POST", `/api/v1/runs/${r.id}/finish`, { creds: team.creds, json: { status, exit_code } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.run).toMatchObject({ status, exit_code });
    expect(res.body.run.finished_at).toBeTypeOf("string");
    expect(res.body.run.duration_ms).toBe(Date.parse(res.body.run.finished_at) - Date.parse(res.body.run.created_at));
    await new Promise((r) => setTimeout(r, 5));
    const again = await api("POST", `/api/v1/runs/${r.id}/finish`, { creds: team.creds, json: { status } });
    expect(again.body.run.finished_at).toBe(res.body.run.finished_at);
  }
  const bad = await api("POST", `/api/v1/runs/${run.id}/finish`, { creds: team.creds, json: { status: "done" } });
  expectError(bad, 400, "invalid_argument");
  expect(bad.body.error.message).toMatch(/status/);
});

test("the scheduled handler marks runs with a stale heartbeat crashed; a heartbeat revives them", async () => {
  const team = await makeTeam();
  const project = `p-${uniq()}`;
  const stale = await newRun(team, project);
  const fresh = await newRun(team, project);
  const done = await newRun(team, project);
  await api("POST", `/api/v1/runs/${done.id}/finish`, { creds: team.creds, json: { status: "finished" } });
  await sql(`update runs set heartbeat_at = now() - interval '2 hours' where id = any($1)`, [[stale.id, done.id]]);

  await runCron();
  const status = (await api("GET", `/api/v1/runs/${stale.id}`, { creds: team.creds })).body.run.status;
  expect(status).toBe("crashed");
  const crashed = (await api("GET", `/api/v1/runs/${stale.id}`, { creds: team.creds })).body.run;
  expect(crashed.finished_at).toBeTypeOf("string");
  expect((await api("GET", `/api/v1/runs/${fresh.id}`, { creds: team.creds })).body.run.status).toBe("running");
  expect((await api("GET", `/api/v1/runs/${done.id}`, { creds: team.creds })).body.run.status).toBe("finished");

  const hb = await api("POST", `/api/v1/runs/${stale.id}/heartbeat`, { creds: team.creds });
  expect(hb.body.run.status).toBe("running");
  expect((await api("GET", `/api/v1/runs/${stale.id}`, { creds: team.creds })).body.run.finished_at).toBeNull();
});

test("DELETE removes the run and its console output; a second delete is 404", async () => {
  const team = await makeTeam();
  const run = await newRun(team, `p-${uniq()}`);
  const log = await api("POST", `/api/v1/runs/${run.id}/logs`, { creds: team.creds, json: { seq: 0, lines: [{ text: "hi" }] } });
  expect(log.status, log.text).toBe(200);
  expect((await api("DELETE", `/api/v1/runs/${run.id}`, { creds: team.creds })).status).toBe(204);
  expectError(await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds }), 404, "not_found");
  expectError(await api("DELETE", `/api/v1/runs/${run.id}`, { creds: team.creds }), 404, "not_found");
  expect(await sql(`select 1 from run_log_batches where run_id = $1`, [run.id])).toHaveLength(0);
});

test("bad run bodies are 400s that name the field", async () => {
  const team = await makeTeam();
  const project = `p-${uniq()}`;
  const cases: [unknown, RegExp][] = [
    [{ config: { a: "x\u0000y" } }, /config\.a/],
    [{ config: { ["k\u0000"]: 1 } }, /config/],
    [{ config: { big: "x".repeat(70_000) } }, /config.*65536/],
    [{ config: JSON.parse(`${'{"a":'.repeat(12)}1${"}".repeat(12)}`) }, /config.*deeper/],
    [{ config: [1, 2] }, /config/],
    [{ config: "lr=1" }, /config/],
    [{ tags: "x" }, /tags/],
    [{ tags: Array.from({ length: 65 }, (_, i) => `t${i}`) }, /tags/],
    [{ tags: ["x".repeat(129)] }, /tags\.0/],
    [{ name: 5 }, /name/],
    [{ notes: "a\u0000b" }, /notes/],
    [{ system: { s: "\u0000" } }, /system\.s/],
  ];
  for (const [body, field] of cases) {
    const res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: body });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message, JSON.stringify(body).slice(0, 80)).toMatch(field);
  }
  // An unpaired surrogate cannot be stored in jsonb either.
  const raw = await api("POST", `/api/v1/projects/${project}/runs`, {
    creds: team.creds,
    body: '{"config":{"s":"\\ud800"}}',
    headers: { "content-type": "application/json" },
  });
  expectError(raw, 400, "invalid_argument");
  expect(raw.body.error.message).toMatch(/config\.s/);
});
