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

export type ReadTarget = { missingRun: string | null; series: Map<string, number>; range: [number, number] | null };

// One round trip for a read of one key over several runs: which runs are not
// the team's (the caller answers 404), each run's series of the key, and,
// when asked, the data's whole x range over them. Run ids come from the query
// string, so they travel as one JSON parameter, never spliced into a literal.
export async function readTarget(q: Q, teamId: string, runIds: string[], key: string, axis: "step" | "time" | null): Promise<ReadTarget> {
  const range = axis === null ? sql`null::int8 as lo, null::int8 as hi` : sql.raw(axis === "step" ? "min(step_min) as lo, max(step_max) as hi" : "min(t_min) as lo, max(t_max) as hi");
  const found = await rows<{ run_id: string; found: boolean; id: string | null; lo: string | null; hi: string | null }>(
    q,
    sql`select u.run_id, r.id is not null as found, s.id, x.lo, x.hi
      from jsonb_array_elements_text(${JSON.stringify(runIds)}::jsonb) with ordinality as u(run_id, i)
      left join runs r on r.team_id = ${teamId} and r.id = u.run_id
      left join metric_series s on r.id is not null and s.team_id = ${teamId} and s.run_id = u.run_id and s.key = ${key}
      left join lateral (select ${range} from metric_chunks where team_id = ${teamId} and series_id = s.id) as x on s.id is not null
      order by u.i`,
  );
  const out: ReadTarget = { missingRun: null, series: new Map(), range: null };
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of found) {
    if (!r.found) {
      out.missingRun ??= r.run_id;
      continue;
    }
    if (r.id !== null) out.series.set(r.run_id, int(r.id));
    if (r.lo !== null && r.hi !== null) {
      lo = Math.min(lo, int(r.lo));
      hi = Math.max(hi, int(r.hi));
    }
  }
  if (lo <= hi) out.range = [lo, hi];
  return out;
}
