import { expect, test } from "vitest";
import { api, type Reply } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";
import { allPoints, ingest, newRun } from "./metrics-helpers";

// The metric points quota at ingest (docs/adr/0011): checked in the ingest
// transaction before anything is written, counted in usage_daily in the same
// statement as the points. Limits are read fresh from the team row in that
// statement, so overrides set here bind at once (no cache to wait out).

async function teamWith(overrides: Record<string, number>): Promise<Team> {
  const team = await makeTeam("Quota");
  // A generous rate, so only the monthly quota decides.
  await sql("update teams set plan_overrides = $2 where id = $1", [team.id, JSON.stringify({ ingestPointsPerSecond: 1e9, apiRequestsPerSecond: 1e6, ...overrides })]);
  return team;
}

const series = (from: number, n: number) => ({ steps: Array.from({ length: n }, (_, i) => from + i), values: Array.from({ length: n }, (_, i) => i / 7) });
const batch = (seq: number, from: number, n: number) => ({ seq, metrics: { loss: series(from, n) } });

const usagePoints = async (teamId: string) =>
  Number((await sql<{ n: string }>("select coalesce(sum(points), 0)::int8 as n from usage_daily where team_id = $1", [teamId]))[0]!.n);
const storedPoints = async (teamId: string) =>
  Number((await sql<{ n: string }>("select coalesce(sum(count), 0)::int8 as n from metric_chunks where team_id = $1", [teamId]))[0]!.n);

function expectQuota(res: Reply, limit: number, used: number) {
  expectError(res, 402, "quota_exceeded");
  expect(res.body.error, res.text).toMatchObject({ limit_name: "metricPointsPerMonth", limit, used, plan: "free" });
  expect(res.body.error.message, res.text).toMatch(/raise it/);
}

test("exactly at the limit is accepted; one point over is refused whole with 402 naming limit, used and plan", async () => {
  const team = await teamWith({ metricPointsPerMonth: 1_000 });
  const run = await newRun(team);
  expect((await ingest(team, run, batch(0, 0, 600))).body).toEqual({ accepted: 600, duplicate: false });
  expect((await ingest(team, run, batch(1, 600, 400))).body).toEqual({ accepted: 400, duplicate: false });
  const over = await ingest(team, run, { seq: 2, metrics: { loss: series(1_000, 1), acc: series(0, 1) } });
  expectQuota(over, 1_000, 1_000);
  expect(over.body.error.message).toContain("this batch of 2");
  // Nothing of the refused batch: no points, no new key, no usage.
  expect(await allPoints(team, run, "loss")).toHaveLength(1_000);
  expect(await allPoints(team, run, "acc")).toHaveLength(0);
  expect(await usagePoints(team.id)).toBe(1_000);
  // A retried accepted batch is still a duplicate (not a refusal), and costs nothing.
  expect((await ingest(team, run, batch(1, 600, 400))).body).toEqual({ accepted: 0, duplicate: true });
  // The refused seq was not consumed: once the limit is raised the same batch lands.
  await sql("update teams set plan_overrides = plan_overrides || '{\"metricPointsPerMonth\": 1002}' where id = $1", [team.id]);
  expect((await ingest(team, run, { seq: 2, metrics: { loss: series(1_000, 1), acc: series(0, 1) } })).body).toEqual({ accepted: 2, duplicate: false });
  expect(await usagePoints(team.id)).toBe(1_002);
  expect(await storedPoints(team.id)).toBe(1_002);
});

test("usage from earlier days of the month counts; last month's does not", async () => {
  const team = await teamWith({ metricPointsPerMonth: 5_000 });
  const run = await newRun(team);
  await sql(
    `insert into usage_daily (team_id, day, shard, points) values
      ($1, date_trunc('month', now() at time zone 'utc')::date, 3, 4000),
      ($1, (date_trunc('month', now() at time zone 'utc') - interval '1 day')::date, 0, 1000000)
      on conflict (team_id, day, shard) do update set points = usage_daily.points + excluded.points`,
    [team.id],
  );
  expect((await ingest(team, run, batch(0, 0, 1_000))).status).toBe(200);
  expectQuota(await ingest(team, run, batch(1, 1_000, 1)), 5_000, 5_000);
});

test("the MLflow door refuses over the quota with QUOTA_EXCEEDED (402), and nothing of the request lands", async () => {
  const team = await teamWith({ metricPointsPerMonth: 10 });
  const run = await newRun(team);
  const metric = (step: number) => ({ key: "m", value: step, timestamp: 1_700_000_000_000 + step, step });
  const ok = await mlflow("POST", "runs/log-batch", { creds: team.creds, json: { run_id: run, metrics: Array.from({ length: 10 }, (_, i) => metric(i)) } });
  expect(ok.status, ok.text).toBe(200);
  const res = await mlflow("POST", "runs/log-batch", {
    creds: team.creds,
    json: { run_id: run, metrics: [metric(10)], params: [{ key: "lr", value: "0.1" }] },
  });
  expectMlflowError(res, 402, "QUOTA_EXCEEDED");
  expect(res.text).toContain("metric points");
  const native = await api("GET", `/api/v1/runs/${run}`, { creds: team.creds });
  expect(native.body.run.config).toEqual({});
  expect(await usagePoints(team.id)).toBe(10);
  const single = await mlflow("POST", "runs/log-metric", { creds: team.creds, json: { run_id: run, ...metric(11) } });
  expectMlflowError(single, 402, "QUOTA_EXCEEDED");
});

// 64 writers at once, each with its own run (runs do not serialize them).
async function race(team: Team, runs: string[], perBatch: number) {
  return Promise.all(runs.map((run) => ingest(team, run, batch(0, 0, perBatch))));
}

test("64 concurrent writers near the quota: exactly the room left is accepted, usage equals points stored, no accepted batch lost", async () => {
  const limit = 100_000;
  const team = await teamWith({ metricPointsPerMonth: limit });
  const runs = await Promise.all(Array.from({ length: 64 }, () => newRun(team)));
  // Earlier this month: 90,500 points (in the last tenth, where the check is exact).
  await sql(
    `insert into usage_daily (team_id, day, shard, points) values ($1, (now() at time zone 'utc')::date, 5, 90500)
      on conflict (team_id, day, shard) do update set points = usage_daily.points + excluded.points`,
    [team.id],
  );
  const replies = await race(team, runs, 1_000);
  for (const r of replies) if (r.status !== 200) expectQuota(r, limit, r.body.error.used);
  const accepted = replies.filter((r) => r.status === 200);
  expect(accepted.length).toBe(9);
  expect(replies.filter((r) => r.status === 402).length).toBe(55);
  expect((await usagePoints(team.id)) - 90_500).toBe(await storedPoints(team.id));
  expect(await storedPoints(team.id)).toBe(9_000);
  for (const [i, r] of replies.entries()) {
    expect((await allPoints(team, runs[i]!, "loss")).length).toBe(r.status === 200 ? 1_000 : 0);
  }
});

test("64 concurrent writers crossing into the locked zone: exactly the room is accepted, usage equals points stored", async () => {
  // Within two seconds of the team's ingest rate of the limit (here: always), the check is exact.
  const limit = 40_000;
  const team = await teamWith({ metricPointsPerMonth: limit });
  const runs = await Promise.all(Array.from({ length: 64 }, () => newRun(team)));
  const replies = await race(team, runs, 1_000);
  for (const r of replies) expect([200, 402], r.text).toContain(r.status);
  expect(replies.filter((r) => r.status === 200).length).toBe(40);
  expect(await storedPoints(team.id)).toBe(40_000);
  expect(await usagePoints(team.id)).toBe(40_000);
  for (const [i, r] of replies.entries()) {
    expect((await allPoints(team, runs[i]!, "loss")).length).toBe(r.status === 200 ? 1_000 : 0);
  }
});

test("64 concurrent writers far from the quota run unlocked; usage still equals points stored", async () => {
  const team = await teamWith({ metricPointsPerMonth: 1e12, ingestPointsPerSecond: 1e6 });
  const runs = await Promise.all(Array.from({ length: 64 }, () => newRun(team)));
  const replies = [...(await race(team, runs, 500)), ...(await Promise.all(runs.map((run) => ingest(team, run, batch(1, 500, 500)))))];
  for (const r of replies) expect(r.status, r.text).toBe(200);
  expect(await storedPoints(team.id)).toBe(64_000);
  expect(await usagePoints(team.id)).toBe(64_000);
  // Concurrent writers counted on rows of their own (not one hot row), bounded per day.
  const rows = await sql<{ n: number }>("select count(*)::int as n from usage_daily where team_id = $1 and points > 0", [team.id]);
  expect(rows[0]!.n).toBeGreaterThan(1);
  expect(rows[0]!.n).toBeLessThanOrEqual(64);
});
