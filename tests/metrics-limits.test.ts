import { gzipSync } from "node:zlib";
import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { expectError, makeTeam } from "./helpers/harness";
import { ingest, ingestGzip, ingestOk, newRun } from "./metrics-helpers";

test("each malformed batch is a 400 naming the field, and stores nothing", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const cases: [unknown, RegExp][] = [
    [[1, 2], /body/],
    [{ metrics: {} }, /seq/],
    [{ seq: -1, metrics: {} }, /seq/],
    [{ seq: 1.5, metrics: {} }, /seq/],
    [{ seq: 0, metrics: [] }, /metrics/],
    [{ seq: 0, metrics: { loss: { steps: [0, 1], values: [1] } } }, /equal length/],
    [{ seq: 0, metrics: { loss: { steps: [0], values: [1], timestamps: [1, 2] } } }, /equal length/],
    [{ seq: 0, metrics: { loss: { steps: [-1], values: [1] } } }, /steps\[0\]/],
    [{ seq: 0, metrics: { loss: { steps: [0, 0.5], values: [1, 2] } } }, /steps\[1\]/],
    [{ seq: 0, metrics: { loss: { steps: [2 ** 53], values: [1] } } }, /steps\[0\]/],
    [{ seq: 0, metrics: { loss: { steps: ["1"], values: [1] } } }, /steps\[0\]/],
    [{ seq: 0, metrics: { loss: { steps: [0], values: ["nan"] } } }, /values\[0\]/],
    [{ seq: 0, metrics: { loss: { steps: [0], values: [null] } } }, /values\[0\]/],
    [{ seq: 0, metrics: { loss: { steps: [0], values: [true] } } }, /values\[0\]/],
    [{ seq: 0, metrics: { loss: { steps: [0], values: [1], timestamps: [-5] } } }, /timestamps\[0\]/],
    [{ seq: 0, metrics: { loss: { values: [1] } } }, /steps/],
    [{ seq: 0, metrics: { "": { steps: [0], values: [1] } } }, /key/],
    [{ seq: 0, metrics: { " loss": { steps: [0], values: [1] } } }, /key/],
    [{ seq: 0, metrics: { "loss ": { steps: [0], values: [1] } } }, /key/],
    [{ seq: 0, metrics: { "lo$s": { steps: [0], values: [1] } } }, /key/],
    [{ seq: 0, metrics: { ["x".repeat(257)]: { steps: [0], values: [1] } } }, /key/],
  ];
  for (const [body, field] of cases) {
    const res = await ingest(team, run, body);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message, JSON.stringify(body).slice(0, 80)).toMatch(field);
  }
  const bad = await api("POST", `/api/v1/runs/${run}/metrics`, { creds: team.creds, body: "{nope", headers: { "content-type": "application/json" } });
  expectError(bad, 400, "invalid_argument");
  // Keys of 256 characters from the whole allowed alphabet are fine.
  const ok = "A-z_0.9/ x".padEnd(256, "k");
  expect(await ingestOk(team, run, 0, { [ok]: { steps: [0], values: [1] } })).toEqual({ accepted: 1, duplicate: false });
  const list = await api("GET", `/api/v1/runs/${run}/metrics`, { creds: team.creds });
  expect(list.body.metrics.map((m: any) => m.key)).toEqual([ok]);
});

test("more than 10,000 points in a batch → 413; exactly 10,000 is fine", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const steps = Array.from({ length: 5001 }, (_, i) => i);
  const values = steps.map(() => 0.5);
  const res = await ingest(team, run, { seq: 0, metrics: { a: { steps, values }, b: { steps, values } } });
  expectError(res, 413, "payload_too_large");
  expect(res.body.error.message).toMatch(/10000 points/);
  const ten = steps.slice(0, 5000);
  expect(await ingestOk(team, run, 0, { a: { steps: ten, values: values.slice(0, 5000) }, b: { steps: ten, values: values.slice(0, 5000) } })).toEqual({
    accepted: 10_000,
    duplicate: false,
  });
});

test("bodies over 4 MiB, sent or decoded (a gzip bomb), → 413; broken gzip → 400", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const big = JSON.stringify({ seq: 0, metrics: { a: { steps: [0], values: [1] } }, pad: "x".repeat(4 * 1024 * 1024) });
  expectError(await api("POST", `/api/v1/runs/${run}/metrics`, { creds: team.creds, body: big, headers: { "content-type": "application/json" } }), 413);
  const bomb = await ingestGzip(team, run, " ".repeat(64 * 1024 * 1024));
  expect(gzipSync(" ".repeat(64 * 1024 * 1024)).length).toBeLessThan(200_000);
  expectError(bomb, 413, "payload_too_large");
  const broken = await api("POST", `/api/v1/runs/${run}/metrics`, {
    creds: team.creds,
    body: "not gzip at all",
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  });
  expectError(broken, 400, "invalid_argument");
  const list = await api("GET", `/api/v1/runs/${run}/metrics`, { creds: team.creds });
  expect(list.body.metrics).toEqual([]);
});

test("a run holds at most 1,000 keys; the batch that would pass it is refused whole", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const keys = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, { steps: [0], values: [i] }]));
  await ingestOk(team, run, 0, keys(0, 600));
  await ingestOk(team, run, 1, keys(600, 400));
  const res = await ingest(team, run, { seq: 2, metrics: { ...keys(990, 10), extra: { steps: [0], values: [1] } } });
  expectError(res, 400, "invalid_argument");
  expect(res.body.error.message).toMatch(/1000 metric keys/);
  // Existing keys still take points, and the refused seq was not recorded.
  expect(await ingestOk(team, run, 2, keys(990, 10))).toEqual({ accepted: 10, duplicate: false });
  const list = await api("GET", `/api/v1/runs/${run}/metrics`, { creds: team.creds });
  expect(list.body.metrics).toHaveLength(1000);
});

test("another team's run is a 404 for ingest and every read", async () => {
  const team = await makeTeam();
  const other = await makeTeam();
  const run = await newRun(team);
  await ingestOk(team, run, 0, { loss: { steps: [0], values: [1] } });
  expectError(await ingest(other, run, { seq: 1, metrics: { loss: { steps: [1], values: [1] } } }), 404, "not_found");
  for (const path of [`/runs/${run}/metrics`, `/runs/${run}/metrics/points?key=loss`, `/runs/${run}/export`, `/metrics/buckets?run=${run}&key=loss`]) {
    expectError(await api("GET", `/api/v1${path}`, { creds: other.creds }), 404, "not_found");
  }
});
