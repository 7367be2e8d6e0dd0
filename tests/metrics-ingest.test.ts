import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeTeam } from "./helpers/harness";
import { allPoints, ingestGzip, ingestOk, newRun } from "./metrics-helpers";

test("a batch is stored once: a retry answers duplicate and changes nothing", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const body = { loss: { steps: [0, 1, 2], values: [2.3, "NaN", 1.9], timestamps: [1700000000000, 1700000000100, 1700000000200] } };
  expect(await ingestOk(team, run, 17, body)).toEqual({ accepted: 3, duplicate: false });
  expect(await ingestOk(team, run, 17, { loss: { steps: [5], values: [9] } })).toEqual({ accepted: 0, duplicate: true });
  expect(await allPoints(team, run, "loss")).toEqual([
    { step: 0, value: 2.3, timestamp: 1700000000000 },
    { step: 1, value: "NaN", timestamp: 1700000000100 },
    { step: 2, value: 1.9, timestamp: 1700000000200 },
  ]);
  const r = await api("GET", `/api/v1/runs/${run}`, { creds: team.creds });
  expect(r.body.run.summary.loss).toEqual({ last: 1.9, min: 1.9, max: 2.3, step: 2, count: 3 });
});

test("gzip bodies are accepted", async () => {
  const team = await makeTeam();
  const run = await newRun(team);
  const res = await ingestGzip(team, run, JSON.stringify({ seq: 0, metrics: { acc: { steps: [1, 2], values: [0.5, 0.75] } } }));
  expect(res.status, res.text).toBe(200);
  expect(res.body).toEqual({ accepted: 2, duplicate: false });
  expect((await allPoints(team, run, "acc")).map((p) => p.value)).toEqual([0.5, 0.75]);
});
