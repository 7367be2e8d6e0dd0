import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeKey, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { createMlflowRun, expectMlflowError, getMlflowRun, mlflow, mlflowPost, nativeRun, tagsOf } from "./helpers/mlflow";

// MLflow's run verbs, checked against MLflow's own server semantics
// (mlflow/server/handlers.py, mlflow/store/tracking/sqlalchemy_store.py).

const create = createMlflowRun;
const getRun = getMlflowRun;
const native = nativeRun;
const post = mlflowPost;

test("create: MLflow's fields land in Sightline's columns and read back the same through both doors", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const start = 1_700_000_000_123;
  const run = await create(team, {
    experiment_id: project.id,
    user_id: "ada",
    start_time: String(start), // protobuf JSON sends int64 as a string
    run_name: "first",
    tags: [
      { key: "mlflow.source.name", value: "train.py" },
      { key: "mlflow.note.content", value: "a note" },
      { key: "mlflow.source.git.commit", value: "abc123" },
    ],
  });
  expect(run.info).toMatchObject({
    run_name: "first",
    experiment_id: project.id,
    user_id: "ada",
    status: "RUNNING",
    start_time: start,
    lifecycle_stage: "active",
  });
  expect(run.info.run_id).toMatch(/^run_/);
  expect(run.info.run_uuid).toBe(run.info.run_id);
  expect(run.info.end_time).toBeUndefined();
  expect(tagsOf(run)).toMatchObject({
    "mlflow.runName": "first",
    "mlflow.user": "ada",
    "mlflow.source.name": "train.py",
    "mlflow.note.content": "a note",
    "mlflow.source.git.commit": "abc123",
  });
  expect(run.data).toMatchObject({ metrics: [], params: [] });
  expect(run.inputs).toEqual({ dataset_inputs: [] });

  const n = await native(team, run.info.run_id);
  expect(n).toMatchObject({ name: "first", notes: "a note", git: { commit: "abc123" }, parent_id: null, deleted_at: null, status: "running" });
  expect(n.kv_tags).toEqual({ "mlflow.user": "ada", "mlflow.source.name": "train.py" });
  expect(new Date(n.created_at).getTime()).toBe(start);
  expect(await getRun(team, run.info.run_id)).toEqual(run);
});

test("create: experiment 0 is the Default project; a name comes from the tag; conflicts and unknown experiments are refused", async () => {
  const team = await makeTeam();
  const a = await create(team, { experiment_id: "0", tags: [{ key: "mlflow.runName", value: "from-tag" }] });
  expect(a.info.run_name).toBe("from-tag");
  const b = await create(team, {});
  expect(b.info.experiment_id).toBe(a.info.experiment_id);
  expect(b.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
  expectMlflowError(
    await post(team, "runs/create", { experiment_id: "0", run_name: "x", tags: [{ key: "mlflow.runName", value: "y" }] }),
    400,
    "INVALID_PARAMETER_VALUE",
    /Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values/,
  );
  expectMlflowError(await post(team, "runs/create", { experiment_id: "prj_aaaaaaaaaaaaaaaaaaaa" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post(team, "runs/create", { experiment_id: "0", start_time: "soon" }), 400, "INVALID_PARAMETER_VALUE", /start_time/);
  const project = await makeProject(team);
  await sql("update projects set deleted_at = now() where id = $1", [project.id]);
  expectMlflowError(await post(team, "runs/create", { experiment_id: project.id }), 400, "INVALID_PARAMETER_VALUE", /must be in the 'active' state/);
});

test("get: run_id or run_uuid; a missing id is 400, an unknown or another team's run is 404", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const byUuid = await mlflow("GET", "runs/get", { creds: team.creds, query: { run_uuid: runId } });
  expect(byUuid.status, byUuid.text).toBe(200);
  expect(byUuid.body.run.info.run_id).toBe(runId);
  expectMlflowError(await mlflow("GET", "runs/get", { creds: team.creds }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  expectMlflowError(await mlflow("GET", "runs/get", { creds: team.creds, query: { run_id: "run_nope" } }), 404, "RESOURCE_DOES_NOT_EXIST");
  const other = await makeTeam();
  expectMlflowError(await mlflow("GET", "runs/get", { creds: other.creds, query: { run_id: runId } }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post(other, "runs/set-tag", { run_id: runId, key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post(other, "runs/log-parameter", { run_id: runId, key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
});

test("update: status and end time map onto the run's status and finish; run_name renames", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const end = 1_800_000_000_000;
  const res = await post(team, "runs/update", { run_id: runId, status: "FINISHED", end_time: end, run_name: "renamed" });
  expect(res.status, res.text).toBe(200);
  expect(Object.keys(res.body)).toEqual(["run_info"]);
  expect(res.body.run_info).toMatchObject({ run_id: runId, status: "FINISHED", end_time: end, run_name: "renamed" });
  expect(await native(team, runId)).toMatchObject({ status: "finished", name: "renamed", finished_at: new Date(end).toISOString() });
  // Without an end time a terminal status ends the run now; running again clears the end.
  const killed = await post(team, "runs/update", { run_uuid: runId, status: "KILLED" });
  expect(killed.body.run_info).toMatchObject({ status: "KILLED", end_time: end });
  const again = await post(team, "runs/update", { run_id: runId, status: "SCHEDULED" });
  expect(again.body.run_info.status).toBe("RUNNING");
  expect(again.body.run_info.end_time).toBeUndefined();
  const failed = await post(team, "runs/update", { run_id: runId, status: "FAILED" });
  expect(failed.body.run_info.end_time).toBeGreaterThan(Date.now() - 60_000);
  expectMlflowError(await post(team, "runs/update", { run_id: runId, status: "DONE" }), 400, "INVALID_PARAMETER_VALUE", /status/);
  expectMlflowError(await post(team, "runs/update", { status: "FINISHED" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
});

test("delete is soft: the run reads as deleted, leaves native lists, refuses writes until restored", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const run = await create(team, { experiment_id: project.id });
  const runId = run.info.run_id;
  const listed = async () => (await api("GET", `/api/v1/projects/${project.id}/runs`, { creds: team.creds })).body.runs.map((r: any) => r.id);
  expect(await listed()).toEqual([runId]);
  expect((await post(team, "runs/delete", { run_id: runId })).status).toBe(200);
  expect((await post(team, "runs/delete", { run_id: runId })).status).toBe(200);
  expect((await getRun(team, runId)).info.lifecycle_stage).toBe("deleted");
  expect((await native(team, runId)).deleted_at).toEqual(expect.any(String));
  expect(await listed()).toEqual([]);
  const inactive = /^The run run_\w+ must be in the 'active' state\. Current state is deleted\.$/;
  const writes: [string, Record<string, unknown>][] = [
    ["runs/log-parameter", { key: "p", value: "1" }],
    ["runs/log-metric", { key: "m", value: 1, timestamp: 1 }],
    ["runs/set-tag", { key: "t", value: "v" }],
    ["runs/log-batch", { metrics: [{ key: "m", value: 1, timestamp: 1 }] }],
    ["runs/log-batch", {}],
    ["runs/update", { status: "FINISHED" }],
    ["runs/log-inputs", { datasets: [] }],
  ];
  for (const [path, body] of writes) expectMlflowError(await post(team, path, { run_id: runId, ...body }), 400, "INVALID_PARAMETER_VALUE", inactive);
  expect((await post(team, "runs/restore", { run_id: runId })).status).toBe(200);
  expect((await getRun(team, runId)).info.lifecycle_stage).toBe("active");
  expect(await listed()).toEqual([runId]);
  expect((await post(team, "runs/log-parameter", { run_id: runId, key: "p", value: "1" })).status).toBe(200);
  expectMlflowError(await post(team, "runs/delete", { run_id: "run_nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
});

test("params are immutable: the same value again is fine, another is refused with MLflow's message", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  expect((await post(team, "runs/log-parameter", { run_id: runId, key: "lr", value: "0.01" })).status).toBe(200);
  expect((await post(team, "runs/log-parameter", { run_uuid: runId, key: "lr", value: "0.01" })).status).toBe(200);
  expectMlflowError(
    await post(team, "runs/log-parameter", { run_id: runId, key: "lr", value: "0.02" }),
    400,
    "INVALID_PARAMETER_VALUE",
    new RegExp(`^Changing param values is not allowed\\. Param with key='lr' was already logged with value='0\\.01' for run ID='${runId}'\\. Attempted logging new value '0\\.02'\\.$`),
  );
  // A param without a value is the empty string, as protobuf's default.
  expect((await post(team, "runs/log-parameter", { run_id: runId, key: "empty" })).status).toBe(200);
  expect((await native(team, runId)).config).toEqual({ lr: "0.01", empty: "" });
  const params = (await getRun(team, runId)).data.params;
  expect(params).toEqual(expect.arrayContaining([{ key: "lr", value: "0.01" }, { key: "empty", value: "" }]));
  // Native config values read as params in their JSON text, and are immutable through this door too.
  await api("PATCH", `/api/v1/runs/${runId}`, { creds: team.creds, json: { config: { layers: 4 } } });
  expect((await post(team, "runs/log-parameter", { run_id: runId, key: "layers", value: "4" })).status).toBe(200);
  expectMlflowError(await post(team, "runs/log-parameter", { run_id: runId, key: "layers", value: "5" }), 400, "INVALID_PARAMETER_VALUE", /Changing param values/);
});

test("params: of many writers racing with different values exactly one lands", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const config: Record<string, string> = {};
  for (const key of ["seed", "lr", "layers"]) {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(team, "runs/log-parameter", { run_id: runId, key, value: String(i) })));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok.length, answers.map((r) => r.text).join("\n")).toBe(1);
    for (const r of answers.filter((x) => x.status !== 200)) expectMlflowError(r, 400, "INVALID_PARAMETER_VALUE", /Changing param values/);
    config[key] = String(answers.findIndex((r) => r.status === 200));
  }
  expect((await native(team, runId)).config).toEqual(config);
});

test("key and value limits: exactly at each limit is accepted, one over is 400", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const ok = async (path: string, body: object) => {
    const res = await post(team, path, { run_id: runId, ...body });
    expect(res.status, res.text).toBe(200);
  };
  const bad = async (path: string, body: object, msg: RegExp) => expectMlflowError(await post(team, path, { run_id: runId, ...body }), 400, "INVALID_PARAMETER_VALUE", msg);
  await ok("runs/log-parameter", { key: "k".repeat(250), value: "v".repeat(6000) });
  await bad("runs/log-parameter", { key: "k".repeat(251), value: "v" }, /'Param key' exceeds the maximum length of 250 characters/);
  await bad("runs/log-parameter", { key: "long", value: "v".repeat(6001) }, /'Param value' exceeds the maximum length of 6000 characters/);
  await ok("runs/set-tag", { key: "t".repeat(250), value: "v".repeat(8000) });
  await bad("runs/set-tag", { key: "t".repeat(251), value: "v" }, /'key' exceeds the maximum length of 250/);
  await bad("runs/set-tag", { key: "t", value: "v".repeat(8001) }, /'value' exceeds the maximum length of 8000 characters/);
  await ok("runs/log-metric", { key: "m".repeat(250), value: 1, timestamp: 1 });
  await bad("runs/log-metric", { key: "m".repeat(251), value: 1, timestamp: 1 }, /'Metric name' exceeds the maximum length of 250/);
  // Characters count, not UTF-16 units: 250 astral characters are 500 units.
  await ok("runs/set-tag", { key: "t2", value: "😀".repeat(8000) });
  // MLflow's key characters (colons and Unicode letters too); no name that resolves to another path.
  await ok("runs/log-parameter", { key: "opt:lr/β 1.x-y_z", value: "1" });
  await ok("runs/log-metric", { key: "val:loss", value: 1, timestamp: 1 });
  await ok("runs/log-metric", { key: "训练/损失 ü", value: 2, timestamp: 1 });
  const keys = (await getRun(team, runId)).data.metrics.map((m: { key: string }) => m.key);
  expect(keys).toEqual(expect.arrayContaining(["val:loss", "训练/损失 ü"]));
  for (const key of ["a*b", "a\"b", "tab\tkey"]) await bad("runs/log-parameter", { key, value: "1" }, /Names may only contain alphanumerics/);
  for (const key of ["/abs", "a//b", "a/./b", "../up", "..", ".", "a/", "a/../b"]) {
    await bad("runs/set-tag", { key, value: "1" }, /must not resolve to other names/);
  }
  await bad("runs/set-tag", { value: "1" }, /Missing value for required parameter 'key'/);
  // Postgres cannot store NUL: refused up front, naming the field, not a 500.
  await bad("runs/set-tag", { key: "nul", value: "a\u0000b" }, /'value' must not contain NUL characters/);
  await bad("runs/log-parameter", { key: "nul", value: "\u0000" }, /'value' must not contain NUL characters/);
  await bad("runs/log-metric", { key: "m", value: 1 }, /timestamp/);
  await bad("runs/log-metric", { key: "m", timestamp: 1 }, /value/);
  await bad("runs/log-metric", { key: "m", value: "high", timestamp: 1 }, /valid double/);
  await bad("runs/log-metric", { key: "m", value: 1, timestamp: -1 }, /Timestamp must be a nonnegative/);
  await bad("runs/log-metric", { key: "m", value: 1, timestamp: 1, step: -1 }, /step/);
});

test("metric values NaN, Infinity and -Infinity are kept exact; the step defaults to 0", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const values: [string, number | string][] = [["nan", "NaN"], ["pinf", "Infinity"], ["ninf", "-Infinity"], ["num", 2.5], ["str", "0.25"]];
  for (const [key, value] of values) {
    const res = await post(team, "runs/log-metric", { run_id: runId, key, value, timestamp: "1700000000000", step: "3" });
    expect(res.status, res.text).toBe(200);
  }
  expect((await post(team, "runs/log-metric", { run_id: runId, key: "nostep", value: 7, timestamp: 5 })).status).toBe(200);
  const metrics = Object.fromEntries((await getRun(team, runId)).data.metrics.map((m: any) => [m.key, m]));
  expect(metrics.nan).toMatchObject({ value: "NaN", step: 3 });
  expect(metrics.pinf).toMatchObject({ value: "Infinity", step: 3 });
  expect(metrics.ninf).toMatchObject({ value: "-Infinity", step: 3 });
  expect(metrics.num).toMatchObject({ value: 2.5, step: 3 });
  expect(metrics.str).toMatchObject({ value: 0.25, step: 3 });
  expect(metrics.nostep).toMatchObject({ value: 7, step: 0 });
  const points = await api("GET", `/api/v1/runs/${runId}/metrics/points?key=pinf`, { creds: team.creds });
  expect(points.body.points).toEqual([{ step: 3, value: "Infinity", timestamp: 1_700_000_000_000 }]);
});

test("log-inputs: datasets are stored once per (name, digest), merge their tags, and show in runs/get", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const ds = { name: "mnist", digest: "d1", source_type: "local", source: "/data/mnist", schema: '{"x":1}' };
  const res = await post(team, "runs/log-inputs", {
    run_id: runId,
    datasets: [
      { tags: [{ key: "mlflow.data.context", value: "train" }], dataset: ds },
      { tags: [{ key: "extra", value: "1" }], dataset: ds },
    ],
  });
  expect(res.status, res.text).toBe(200);
  expect((await post(team, "runs/log-inputs", { run_id: runId, datasets: [{ tags: [{ key: "mlflow.data.context", value: "eval" }], dataset: ds }] })).status).toBe(200);
  const inputs = (await getRun(team, runId)).inputs.dataset_inputs;
  expect(inputs).toHaveLength(1);
  expect(inputs[0].dataset).toEqual(ds);
  expect(inputs[0].tags).toEqual(expect.arrayContaining([{ key: "mlflow.data.context", value: "eval" }, { key: "extra", value: "1" }]));
  expectMlflowError(await post(team, "runs/log-inputs", { run_id: runId, datasets: [{ dataset: { ...ds, name: undefined } }] }), 400, "INVALID_PARAMETER_VALUE", /Dataset name/);
  expectMlflowError(await post(team, "runs/log-inputs", { run_id: runId, datasets: [{ dataset: { ...ds, digest: "x".repeat(37) } }] }), 400, "INVALID_PARAMETER_VALUE", /'digest' exceeds the maximum length of 36/);
  expect((await post(team, "runs/log-inputs", { run_id: runId, datasets: [{ dataset: { ...ds, digest: "x".repeat(36) } }] })).status).toBe(200);
});

test("scopes: a read-only key reads but may not write (PERMISSION_DENIED); no credentials is UNAUTHENTICATED", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const read = await makeKey(team, ["read"]);
  expect((await mlflow("GET", "runs/get", { creds: { key: read.key }, query: { run_id: runId } })).status).toBe(200);
  expect((await mlflow("GET", "runs/get", { creds: { basic: read.key }, query: { run_id: runId } })).status).toBe(200);
  expectMlflowError(await mlflow("POST", "runs/set-tag", { creds: { key: read.key }, json: { run_id: runId, key: "k", value: "v" } }), 403, "PERMISSION_DENIED");
  expectMlflowError(await mlflow("POST", "runs/log-batch", { creds: { key: read.key }, json: { run_id: runId } }), 403, "PERMISSION_DENIED");
  expectMlflowError(await mlflow("POST", "runs/create", { creds: {}, json: {} }), 401, "UNAUTHENTICATED");
});
