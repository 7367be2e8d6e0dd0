import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeRun, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";
import { allPoints, ingestOk } from "./metrics-helpers";

// MLflow's log-batch: its limits and messages, all-or-nothing, and what
// Sightline adds: a retried batch is not doubled, non-finite values are exact.

const batch = (team: Team, json: unknown) => mlflow("POST", "runs/log-batch", { creds: team.creds, json });
const native = async (team: Team, runId: string) => (await api("GET", `/api/v1/runs/${runId}`, { creds: team.creds })).body.run;
const T0 = 1_700_000_000_000;
const metric = (key: string, step: number, value: number | string = step / 2) => ({ key, value, timestamp: T0 + step, step });
const kv = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));
const metrics = (n: number) => Array.from({ length: n }, (_, i) => metric(`m${i % 10}`, Math.floor(i / 10)));

test("one batch logs metrics, params and tags that read back through the native API", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const res = await batch(team, {
    run_id: runId,
    metrics: [metric("loss", 2, 0.5), metric("loss", 0, 0.9), metric("loss", 1, 0.7), metric("acc", 0, "NaN"), metric("acc", 1, "Infinity"), metric("acc", 2, "-Infinity")],
    params: [{ key: "lr", value: "0.1" }],
    tags: [{ key: "mlflow.runName", value: "batched" }, { key: "stage", value: "dev" }],
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body).toEqual({});
  const run = await native(team, runId);
  expect(run).toMatchObject({ name: "batched", config: { lr: "0.1" }, kv_tags: { stage: "dev" } });
  expect(run.summary.loss).toMatchObject({ last: 0.5, step: 2, count: 3 });
  expect(await allPoints(team, runId, "loss")).toEqual([
    { step: 0, value: 0.9, timestamp: T0 },
    { step: 1, value: 0.7, timestamp: T0 + 1 },
    { step: 2, value: 0.5, timestamp: T0 + 2 },
  ]);
  expect((await allPoints(team, runId, "acc")).map((p) => p.value)).toEqual(["NaN", "Infinity", "-Infinity"]);
});

test("a retried batch rewrites the same points: the history is not doubled", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const body = { run_id: runId, metrics: metrics(300), params: [{ key: "p", value: "1" }], tags: [{ key: "t", value: "1" }] };
  for (let i = 0; i < 3; i++) expect((await batch(team, body)).status).toBe(200);
  const run = await native(team, runId);
  for (let k = 0; k < 10; k++) expect(run.summary[`m${k}`]).toMatchObject({ count: 30, step: 29 });
  const points = await allPoints(team, runId, "m3");
  expect(points.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  // A step logged twice in one batch keeps its later value.
  expect((await batch(team, { run_id: runId, metrics: [metric("dup", 5, 1), metric("dup", 5, 2)] })).status).toBe(200);
  expect(await allPoints(team, runId, "dup")).toEqual([{ step: 5, value: 2, timestamp: T0 + 5 }]);
});

test("batches sent at once are all kept (the server numbers them), and native seqs still count", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  await ingestOk(team, runId, 0, { loss: { steps: [0], values: [1] } });
  const answers = await Promise.all(
    Array.from({ length: 8 }, (_, b) => batch(team, { run_id: runId, metrics: Array.from({ length: 20 }, (_, i) => metric("loss", 1 + b * 20 + i)) })),
  );
  for (const a of answers) expect(a.status, a.text).toBe(200);
  // The native client's next seq is not taken by the MLflow batches.
  expect(await ingestOk(team, runId, 1, { loss: { steps: [500], values: [5] } })).toEqual({ accepted: 1, duplicate: false });
  expect((await allPoints(team, runId, "loss")).length).toBe(1 + 160 + 1);
  expect((await native(team, runId)).summary.loss).toMatchObject({ count: 162, step: 500 });
});

test("limits: exactly at each is accepted, one over is 400 with MLflow's message", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const ok = async (body: object) => {
    const res = await batch(team, { run_id: runId, ...body });
    expect(res.status, res.text).toBe(200);
  };
  const over = async (body: object, what: string, limit: number, got: number) =>
    expectMlflowError(
      await batch(team, { run_id: runId, ...body }),
      400,
      "INVALID_PARAMETER_VALUE",
      new RegExp(`^A batch logging request can contain at most ${limit} ${what}\\. Got ${got} ${what}\\.`),
    );
  await ok({ metrics: metrics(1000) });
  await over({ metrics: metrics(1001) }, "metrics", 1000, 1001);
  await ok({ params: kv("p", 100) });
  await over({ params: kv("q", 101) }, "params", 100, 101);
  await ok({ tags: kv("t", 100) });
  await over({ tags: kv("u", 101) }, "tags", 100, 101);
  await ok({ metrics: metrics(800), params: kv("r", 100), tags: kv("v", 100) });
  await over({ metrics: metrics(801), params: kv("s", 100), tags: kv("w", 100) }, "metrics, params, and tags", 1000, 1001);
  await ok({ params: [{ key: "big", value: "x".repeat(6000) }], tags: [{ key: "big", value: "y".repeat(8000) }] });
  expectMlflowError(await batch(team, { run_id: runId, params: [{ key: "big2", value: "x".repeat(6001) }] }), 400, "INVALID_PARAMETER_VALUE", /'Param value' exceeds the maximum length of 6000/);
  expectMlflowError(await batch(team, { run_id: runId, tags: [{ key: "big2", value: "y".repeat(8001) }] }), 400, "INVALID_PARAMETER_VALUE", /'tags\[0\]\.value' exceeds the maximum length of 8000/);
  expectMlflowError(await batch(team, { run_id: runId, metrics: [metric("a*b", 0)] }), 400, "INVALID_PARAMETER_VALUE", /'metrics\[0\]\.name'.*Names may only contain/);
  expectMlflowError(await batch(team, { run_id: runId, metrics: [{ key: "m", value: 1 }] }), 400, "INVALID_PARAMETER_VALUE", /metrics\[0\]\.timestamp/);
  expectMlflowError(await batch(team, { run_id: runId, params: [{ value: "1" }] }), 400, "INVALID_PARAMETER_VALUE", /params\[0\]\.key/);
  expectMlflowError(await batch(team, { run_id: runId, params: [{ key: "n", value: "\u0000" }] }), 400, "INVALID_PARAMETER_VALUE", /'params\[0\]\.value' must not contain NUL/);
  expectMlflowError(
    await batch(team, { run_id: runId, params: [{ key: "d", value: "1" }, { key: "d", value: "1" }] }),
    400,
    "INVALID_PARAMETER_VALUE",
    /Duplicate parameter keys have been submitted: \['d'\]/,
  );
  expectMlflowError(await batch(team, { metrics: [] }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  expectMlflowError(await batch(team, { run_id: "run_nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expect((await batch(team, { run_id: runId })).status).toBe(200);
});

test("all or nothing: a refused param or an invalid metric leaves the run as it was", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  expect((await batch(team, { run_id: runId, params: [{ key: "lr", value: "0.1" }] })).status).toBe(200);
  const before = await native(team, runId);
  expectMlflowError(
    await batch(team, { run_id: runId, metrics: [metric("loss", 0)], params: [{ key: "new", value: "1" }, { key: "lr", value: "0.2" }], tags: [{ key: "t", value: "1" }] }),
    400,
    "INVALID_PARAMETER_VALUE",
    /Changing param values is not allowed\. Params were already logged='\[\{'key': 'lr', 'old_value': '0\.1', 'new_value': '0\.2'\}\]'/,
  );
  expectMlflowError(
    await batch(team, { run_id: runId, metrics: [metric("loss", 0), metric("bad key*", 1)], params: [{ key: "new", value: "1" }], tags: [{ key: "t", value: "1" }] }),
    400,
    "INVALID_PARAMETER_VALUE",
    /metrics\[1\]\.name/,
  );
  const after = await native(team, runId);
  expect(after).toMatchObject({ config: { lr: "0.1" }, kv_tags: {}, summary: {} });
  expect(after.config).toEqual(before.config);
  expect(await allPoints(team, runId, "loss")).toEqual([]);
});

test("another team's run is RESOURCE_DOES_NOT_EXIST and nothing is written to it", async () => {
  const team = await makeTeam();
  const other = await makeTeam();
  const runId = await makeRun(team);
  expectMlflowError(await batch(other, { run_id: runId, metrics: [metric("loss", 0)] }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await batch(other, { run_id: runId, params: [{ key: "p", value: "1" }] }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await batch(other, { run_id: runId }), 404, "RESOURCE_DOES_NOT_EXIST");
  expect(await native(team, runId)).toMatchObject({ config: {}, kv_tags: {}, summary: {} });
});

// Metrics are checked by hand on this hot path (not by zod): every malformed
// element is still a 400 naming it, and nothing of the batch is written.
test("malformed metric elements are 400s naming the element, and nothing is written", async () => {
  const team = await makeTeam();
  const runId = await makeRun(team);
  const cases: [unknown, RegExp][] = [
    ["not an object", /metrics\[0\]: must be an object/],
    [{ key: 5, value: 1, timestamp: T0 }, /metrics\[0\]\.key: must be a string/],
    [{ key: "a", value: { x: 1 }, timestamp: T0 }, /metrics\[0\]\.value: must be a number/],
    [{ key: "a", value: 1, timestamp: "soon" }, /metrics\[0\]\.timestamp: must be an integer/],
    [{ key: "a", value: 1, timestamp: T0, step: 1.5 }, /metrics\[0\]\.step: must be an integer/],
    [{ key: "a", value: 1 }, /timestamp/],
    [{ key: "a", value: "twelve", timestamp: T0 }, /valid double/],
  ];
  for (const [bad, message] of cases) {
    const res = await batch(team, { run_id: runId, metrics: [bad], params: [{ key: "p", value: "1" }] });
    expectMlflowError(res, 400, "INVALID_PARAMETER_VALUE", message);
  }
  // A bad element after good ones, and a repeated key checked once: still all or nothing.
  const res = await batch(team, { run_id: runId, metrics: [metric("ok", 0), metric("ok", 1), { key: "ok", value: 1, timestamp: "x", step: 2 }] });
  expectMlflowError(res, 400, "INVALID_PARAMETER_VALUE", /metrics\[2\]\.timestamp/);
  const run = await native(team, runId);
  expect(run.summary).toEqual({});
  expect(run.config).toEqual({});
});
