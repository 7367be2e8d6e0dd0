import { describe, expect, it } from "vitest";
import { init } from "../sdk/index.ts";
import { api, stack, type Reply } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";
import { createMlflowRun, mlflowPost, expectMlflowError, getMlflowRun } from "./helpers/mlflow";
import { allPoints, ingest, newRun } from "./metrics-helpers";

// Per-team rates (docs/adr/0012): token buckets per isolate, burst = one
// second's worth. The test stack runs one workerd isolate, so its buckets are
// the team's. Limits are set with plan_overrides before a team's first
// authenticated request (teamLimits caches them 10 s per isolate). Rates are
// small so that refill during a burst stays well under one token.

async function teamWith(overrides: Record<string, number>): Promise<Team> {
  const team = await makeTeam("Rates");
  await sql("update teams set plan_overrides = $2 where id = $1", [team.id, JSON.stringify(overrides)]);
  return team;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const series = (from: number, n: number) => ({ steps: Array.from({ length: n }, (_, i) => from + i), values: Array.from({ length: n }, (_, i) => i / 7) });

function expectRateLimited(res: Reply, limitName: string, limit: number) {
  expectError(res, 429, "rate_limited");
  expect(res.body.error, res.text).toMatchObject({ limit_name: limitName, limit, plan: "free" });
  expect(res.body.error.used, res.text).toBeTypeOf("number");
  expect(res.body.error.message, res.text).toMatch(/raise it/);
  const wait = Number(res.headers.get("retry-after"));
  expect(wait, res.text).toBeGreaterThanOrEqual(1);
  return wait;
}

describe("API requests per second, per team", () => {
  it("lets exactly one second's worth through at once, refuses the next with 429 and Retry-After, then recovers", async () => {
    const team = await teamWith({ apiRequestsPerSecond: 3 });
    // Warm the key and limits caches, then let the bucket fill again, so the
    // burst below is decided in memory within milliseconds.
    expect((await api("GET", "/api/v1/projects", { creds: team.creds })).status).toBe(200);
    await sleep(1_100);
    const burst = await Promise.all(Array.from({ length: 4 }, () => api("GET", "/api/v1/projects", { creds: team.creds })));
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses, burst.map((r) => r.text).join("\n")).toEqual([200, 200, 200, 429]);
    const refused = burst.find((r) => r.status === 429)!;
    const wait = expectRateLimited(refused, "apiRequestsPerSecond", 3);
    expect(refused.body.error.used).toBe(3);
    expect(wait).toBe(1);

    // Another team, on its own bucket, is not slowed by this one.
    const other = await makeTeam("Neighbour");
    expect((await api("GET", "/api/v1/projects", { creds: other.creds })).status).toBe(200);

    await sleep(wait * 1_000);
    expect((await api("GET", "/api/v1/projects", { creds: team.creds })).status).toBe(200);
  });

  it("counts sessions as well as keys, and the MLflow door answers 429 REQUEST_LIMIT_EXCEEDED", async () => {
    const team = await teamWith({ apiRequestsPerSecond: 2 });
    // Warm the key and session caches: the three requests below must be decided within 0.5 s.
    expect((await api("GET", "/api/v1/projects", { creds: team.creds })).status).toBe(200);
    expect((await api("GET", "/api/v1/projects", { creds: { cookie: team.cookie } })).status).toBe(200);
    await sleep(1_100);
    const [a, b] = await Promise.all([
      api("GET", "/api/v1/projects", { creds: { cookie: team.cookie } }),
      api("GET", "/api/v1/projects", { creds: team.creds }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const res = await mlflowPost(team, "experiments/search", { max_results: 1 });
    expectMlflowError(res, 429, "REQUEST_LIMIT_EXCEEDED", /API requests per second/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("ingest points per second, per team", () => {
  it("refuses a batch larger than the tokens left, stores nothing of it, and takes the same batch after Retry-After", async () => {
    const team = await teamWith({ ingestPointsPerSecond: 100 });
    const run = await newRun(team);
    expect((await ingest(team, run, { seq: 0, metrics: { loss: series(0, 80) } })).status).toBe(200);
    // 20 points left and 100/s of refill: 80 more would need 0.6 s.
    const refused = await ingest(team, run, { seq: 1, metrics: { loss: series(80, 40), acc: series(0, 40) } });
    const wait = expectRateLimited(refused, "ingestPointsPerSecond", 100);
    // Spent of this second's 100: refused means fewer than 80 left (refill since the first batch varies).
    expect(refused.body.error.used).toBeGreaterThan(20);
    expect(refused.body.error.used).toBeLessThanOrEqual(100);
    expect(await allPoints(team, run, "loss")).toHaveLength(80);
    expect(await allPoints(team, run, "acc")).toHaveLength(0);

    await sleep(wait * 1_000);
    const again = await ingest(team, run, { seq: 1, metrics: { loss: series(80, 40), acc: series(0, 40) } });
    expect(again.status, again.text).toBe(200);
    expect(await allPoints(team, run, "loss")).toHaveLength(120);
    expect(await allPoints(team, run, "acc")).toHaveLength(40);
  });

  it("takes a batch bigger than one second's worth from a full bucket, then makes the next one wait (debt)", async () => {
    const team = await teamWith({ ingestPointsPerSecond: 100 });
    const run = await newRun(team);
    expect((await ingest(team, run, { seq: 0, metrics: { loss: series(0, 150) } })).status).toBe(200);
    const next = await ingest(team, run, { seq: 1, metrics: { loss: series(150, 1) } });
    expectRateLimited(next, "ingestPointsPerSecond", 100);
    expect(await allPoints(team, run, "loss")).toHaveLength(150);
  });

  it("holds another team to its own bucket", async () => {
    const slow = await teamWith({ ingestPointsPerSecond: 10 });
    const fast = await makeTeam("Fast");
    const [slowRun, fastRun] = [await newRun(slow), await newRun(fast)];
    expect((await ingest(slow, slowRun, { seq: 0, metrics: { x: series(0, 10) } })).status).toBe(200);
    expectRateLimited(await ingest(slow, slowRun, { seq: 1, metrics: { x: series(10, 10) } }), "ingestPointsPerSecond", 10);
    const ok = await ingest(fast, fastRun, { seq: 0, metrics: { x: series(0, 5_000) } });
    expect(ok.status, ok.text).toBe(200);
  });

  it("MLflow log-batch over the rate: 429 REQUEST_LIMIT_EXCEEDED with Retry-After, and its params are not written either", async () => {
    const team = await teamWith({ ingestPointsPerSecond: 100 });
    const exp = await mlflowPost(team, "experiments/create", { name: `rates-${Date.now()}` });
    expect(exp.status, exp.text).toBe(200);
    const run = await createMlflowRun(team, { experiment_id: exp.body.experiment_id });
    const runId = run.info.run_id as string;
    const metrics = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ key: "m", value: i, timestamp: 1_700_000_000_000, step: from + i }));
    expect((await mlflowPost(team, "runs/log-batch", { run_id: runId, metrics: metrics(80, 0) })).status).toBe(200);
    const res = await mlflowPost(team, "runs/log-batch", { run_id: runId, metrics: metrics(80, 80), params: [{ key: "lr", value: "0.1" }] });
    expectMlflowError(res, 429, "REQUEST_LIMIT_EXCEEDED", /metric points per second/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const after = await getMlflowRun(team, runId);
    expect(after.data.params ?? []).toEqual([]);
  });
});

describe("the TS SDK under a small ingest rate", () => {
  it("retries refused batches after Retry-After until every point is stored", async () => {
    const team = await teamWith({ ingestPointsPerSecond: 2_000 });
    let refusals = 0;
    const counting: typeof fetch = async (input, initArg) => {
      const res = await fetch(input, initArg);
      if (res.status === 429) refusals++;
      return res;
    };
    const run = await init({
      project: `rates-${Date.now()}`,
      baseUrl: stack().url,
      apiKey: team.key,
      exitHooks: false,
      heartbeatSeconds: 0,
      fetch: counting,
      batch: { maxPoints: 1_000, maxInFlight: 2, intervalMs: 50 },
      finishTimeoutMs: 60_000,
    });
    for (let step = 0; step < 3_000; step++) run.log({ a: step, b: -step }, { step });
    const final = await run.finish();
    expect(final.status).toBe("finished");
    expect(run.stats().metrics).toMatchObject({ sent: 6_000, rejected: 0, dropped: 0, unsent: 0 });
    expect(refusals).toBeGreaterThan(0);
    expect(await allPoints(team, run.id, "a")).toHaveLength(3_000);
    expect(await allPoints(team, run.id, "b")).toHaveLength(3_000);
  }, 60_000);
});
