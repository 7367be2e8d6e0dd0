import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeKey, makeRun, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";
import { ingest } from "./metrics-helpers";

// Runs per month at run creation (both doors), and GET /api/v1/usage.

const limitNames = ["seats", "storageBytes", "metricPointsPerMonth", "runsPerMonth", "retentionDays", "ingestPointsPerSecond", "apiRequestsPerSecond", "shareLinkMaxDays"];

async function teamWith(overrides: Record<string, number>): Promise<Team> {
  const team = await makeTeam("Usage");
  await sql("update teams set plan_overrides = $2 where id = $1", [team.id, JSON.stringify(overrides)]);
  return team;
}

const createRun = (team: Team, project: string) => api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: {} });

test("runs per month: exactly at the limit succeeds, one over is refused with 402 naming the limit; the MLflow door too", async () => {
  const team = await teamWith({ runsPerMonth: 3 });
  expect((await createRun(team, "p")).status).toBe(201);
  expect((await createRun(team, "p")).status).toBe(201);
  const exp = await mlflow("POST", "experiments/create", { creds: team.creds, json: { name: "e" } });
  expect(exp.status, exp.text).toBe(200);
  const third = await mlflow("POST", "runs/create", { creds: team.creds, json: { experiment_id: exp.body.experiment_id } });
  expect(third.status, third.text).toBe(200);
  const over = await createRun(team, "p");
  expectError(over, 402, "quota_exceeded");
  expect(over.body.error).toMatchObject({ limit_name: "runsPerMonth", limit: 3, used: 3, plan: "free" });
  expect(over.body.error.message).toMatch(/runs: .*3 of its 3 runs.*raise it/);
  expectMlflowError(await mlflow("POST", "runs/create", { creds: team.creds, json: { experiment_id: exp.body.experiment_id } }), 402, "QUOTA_EXCEEDED");
  // Refusals count nothing and create nothing.
  const counted = await sql<{ n: string }>("select sum(runs)::int8 as n from usage_daily where team_id = $1", [team.id]);
  expect(Number(counted[0]!.n)).toBe(3);
  expect((await sql("select id from runs where team_id = $1", [team.id])).length).toBe(3);
});

test("GET /usage: plan, every limit, usage this month, per day, and warnings at 80 % and 100 %", async () => {
  const team = await teamWith({ runsPerMonth: 2, metricPointsPerMonth: 1_000, ingestPointsPerSecond: 1e9 });
  const run = await makeRun(team);
  const res = await ingest(team, run, { seq: 0, metrics: { loss: { steps: Array.from({ length: 850 }, (_, i) => i), values: Array.from({ length: 850 }, () => 1) } } });
  expect(res.status, res.text).toBe(200);
  await makeRun(team);
  const reader = await makeKey(team, ["read"]);
  const u = await api("GET", "/api/v1/usage", { creds: { key: reader.key } });
  expect(u.status, u.text).toBe(200);
  expect(u.body.plan).toBe("free");
  expect(Object.keys(u.body.limits).sort()).toEqual([...limitNames].sort());
  expect(u.body.limits).toMatchObject({ runsPerMonth: 2, metricPointsPerMonth: 1_000, seats: 5 });
  expect(u.body.usage).toEqual({ seats: 1, storage_bytes: 0, points_this_month: 850, runs_this_month: 2 });
  const today = new Date().toISOString().slice(0, 10);
  expect(u.body.points_by_day).toEqual([{ day: today, points: 850, runs: 2 }]);
  expect(u.body.warnings).toEqual([
    { limit: "metricPointsPerMonth", used: 850, ratio: 0.85, level: "80%" },
    { limit: "runsPerMonth", used: 2, ratio: 1, level: "100%" },
  ]);
});

test("GET /usage lists last month's days too, and each team sees only its own", async () => {
  const team = await makeTeam("Usage");
  const other = await makeTeam("Usage");
  await sql(
    `insert into usage_daily (team_id, day, shard, points, runs) values
      ($1, (date_trunc('month', now() at time zone 'utc') - interval '3 days')::date, 1, 500, 4),
      ($1, (date_trunc('month', now() at time zone 'utc') - interval '3 days')::date, 6, 250, 1),
      ($1, (date_trunc('month', now() at time zone 'utc') - interval '70 days')::date, 0, 9, 9)`,
    [team.id],
  );
  const u = await api("GET", "/api/v1/usage", { creds: team.creds });
  expect(u.body.points_by_day).toHaveLength(1);
  expect(u.body.points_by_day[0]).toMatchObject({ points: 750, runs: 5 });
  expect(u.body.usage).toMatchObject({ points_this_month: 0, runs_this_month: 0 });
  expect(u.body.warnings).toEqual([]);
  const o = await api("GET", "/api/v1/usage", { creds: other.creds });
  expect(o.body.points_by_day).toEqual([]);
  expectError(await api("GET", "/api/v1/usage"), 401);
});
