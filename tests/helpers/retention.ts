import { expect } from "vitest";
import { api } from "./api";
import { sql } from "./db";
import type { Team } from "./harness";
import { runCron } from "./scheduled";

// Retention tests age runs behind the API's back: created_at is not settable.
export async function age(runId: string, days: number, status = "finished") {
  await sql("update runs set created_at = now() - make_interval(secs => $2), status = $3 where id = $1", [runId, days * 86_400, status]);
}

export async function exists(runId: string): Promise<boolean> {
  return (await sql("select 1 from runs where id = $1", [runId])).length > 0;
}

export async function preview(team: Team, query = "") {
  const res = await api("GET", `/api/v1/retention/preview${query}`, { creds: team.creds });
  expect(res.status, res.text).toBe(200);
  return res.body as { retention_days: number; runs: { id: string; deletes_at: string; created_at: string }[]; truncated: boolean };
}

// The cron is global and bounded per tick, and other files age runs too, so a
// test ticks until its own runs are settled rather than counting on one tick.
export async function cronUntil(done: () => Promise<boolean>, maxTicks = 12): Promise<number> {
  for (let tick = 1; tick <= maxTicks; tick++) {
    await runCron();
    if (await done()) return tick;
  }
  throw new Error(`retention: not settled after ${maxTicks} cron ticks`);
}

// Finished runs straight into the table, `days` old, for tests that need many.
export async function bulkRuns(team: Team, projectId: string, n: number, days: number): Promise<void> {
  await sql(
    `insert into runs (team_id, id, project_id, name, status, created_at)
     select $1, 'run_bulk' || md5(random()::text || g), $2, 'bulk-' || g, 'finished', now() - make_interval(secs => $4)
     from generate_series(1, $3) g`,
    [team.id, projectId, n, days * 86_400],
  );
}

export const countRuns = async (projectId: string) =>
  Number((await sql<{ n: string }>("select count(*) as n from runs where project_id = $1", [projectId]))[0]!.n);
