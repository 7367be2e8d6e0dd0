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

test("PATCH summary: sets, merges and removes overrides beside the computed summary", async () => {
  const team = await makeTeam();
  const project = `p-${uniq()}`;
  const run = await newRun(team, project);
  expect(run.summary_overrides).toEqual({});
  const patch = (json: unknown, creds = team.creds) => api("PATCH", `/api/v1/runs/${run.id}`, { creds, json });
  const metrics = await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { acc: { steps: [0, 1], values: [0.5, 0.8] } } } });
  expect(metrics.status, metrics.text).toBe(200);

  const set = await patch({ summary: { best_acc: 0.93, "eval/notes": { epoch: 3, tags: ["a"] } } });
  expect(set.status, set.text).toBe(200);
  expect(set.body.run.summary_overrides).toEqual({ best_acc: 0.93, "eval/notes": { epoch: 3, tags: ["a"] } });
  // Merged: other keys stay; null removes a key (and removing an absent key is fine).
  const merged = await patch({ summary: { best_acc: 0.95, "eval/notes": null, never_set: null, lr_final: "1e-4" } });
  expect(merged.status, merged.text).toBe(200);
  expect(merged.body.run.summary_overrides).toEqual({ best_acc: 0.95, lr_final: "1e-4" });
  expect(merged.body.run.config).toEqual({});

  // Read back through GET and the list, with metric ingest's summary untouched.
  const got = await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds });
  expect(got.body.run.summary_overrides).toEqual({ best_acc: 0.95, lr_final: "1e-4" });
  expect(got.body.run.summary.acc).toMatchObject({ last: 0.8, count: 2 });
  const listed = await api("GET", `/api/v1/projects/${project}/runs`, { creds: team.creds });
  expect(listed.body.runs[0].summary_overrides).toEqual({ best_acc: 0.95, lr_final: "1e-4" });
  await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 1, metrics: { acc: { steps: [2], values: [0.9] } } } });
  expect((await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds })).body.run.summary_overrides.best_acc).toBe(0.95);

  // Bad input is a 400 naming the field, and stores nothing.
  let deep: unknown = 1;
  for (let i = 0; i < 12; i++) deep = { a: deep };
  const tooDeep = await patch({ summary: { nested: deep } });
  expectError(tooDeep, 400, "invalid_argument");
  expect(tooDeep.body.error.message).toMatch(/summary\.nested(\.a)*.*deeper than 10 levels/);
  const badKey = await patch({ summary: { "bad\u0000key": 1 } });
  expectError(badKey, 400, "invalid_argument");
  expect(badKey.body.error.message).toMatch(/^summary/);
  const notObject = await patch({ summary: [1, 2] });
  expectError(notObject, 400, "invalid_argument");
  expect(notObject.body.error.message).toMatch(/^summary/);
  // Each patch fits, but the merge would not.
  expect((await patch({ summary: { big: "x".repeat(40_000) } })).status).toBe(200);
  const over = await patch({ summary: { bigger: "y".repeat(40_000) } });
  expectError(over, 400, "invalid_argument");
  expect(over.body.error.message).toMatch(/^summary:/);
  expect((await patch({ summary: { big: null, bigger: "y".repeat(40_000) } })).status).toBe(200);

  // Another team's run does not exist for it.
  const other = await makeTeam();
  expectError(await patch({ summary: { best_acc: 0 } }, other.creds), 404, "not_found");
  const after = await api("GET", `/api/v1/runs/${run.id}`, { creds: team.creds });
  expect(Object.keys(after.body.run.summary_overrides).sort()).toEqual(["best_acc", "bigger", "lr_final"]);
  expect(after.body.run.summary_overrides.best_acc).toBe(0.95);
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

// MLflow clients send no heartbeats; an idle MLflow run (a long epoch) is not a crash.
test("the crash sweep leaves runs made through MLflow's API running", async () => {
  const team = await makeTeam();
  const made = await api("POST", "/api/2.0/mlflow/runs/create", { creds: team.creds, json: { experiment_id: "0" } });
  expect(made.status, made.text).toBe(200);
  const id = made.body.run.info.run_id as string;
  const native = await newRun(team, `p-${uniq()}`);
  await sql(`update runs set heartbeat_at = now() - interval '2 hours' where id = any($1)`, [[id, native.id]]);
  await runCron();
  expect((await api("GET", `/api/v1/runs/${id}`, { creds: team.creds })).body.run.status).toBe("running");
  expect((await api("GET", `/api/v1/runs/${native.id}`, { creds: team.creds })).body.run.status).toBe("crashed");
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
