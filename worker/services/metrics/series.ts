import { sql } from "drizzle-orm";
import { int, rows, textArray, type Q } from "./sql";

// Series ids of one key in several runs (all already checked to be the team's).
export async function seriesOfKey(q: Q, teamId: string, runIds: string[], key: string): Promise<Map<string, number>> {
  const found = await rows<{ run_id: string; id: string }>(
    q,
    sql`select run_id, id from metric_series where team_id = ${teamId} and run_id = any(${textArray(runIds)}::text[]) and key = ${key}`,
  );
  return new Map(found.map((r) => [r.run_id, int(r.id)]));
}

export async function seriesOfRun(q: Q, teamId: string, runId: string): Promise<{ key: string; id: number; minStep: number | null }[]> {
  const found = await rows<{ key: string; id: string; min_step: string | null }>(
    q,
    sql`select s.key, s.id, (select min(step_min) from metric_chunks c where c.team_id = s.team_id and c.series_id = s.id) as min_step
      from metric_series s where s.team_id = ${teamId} and s.run_id = ${runId} order by s.key`,
  );
  return found.map((r) => ({ key: r.key, id: int(r.id), minStep: r.min_step === null ? null : int(r.min_step) }));
}
