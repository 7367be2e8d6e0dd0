import { sql, type SQL } from "drizzle-orm";
import type { Writer } from "../lib/db";
import { plans } from "../lib/plans";

// Which runs retention deletes, as one SQL builder shared by the cron (across
// all teams), its delete (re-checked in the delete's own snapshot) and the
// preview API (one team), so the preview is exactly what a pass would do.
//
// A run goes when it is older than its effective retention: the team's plan
// value (or the operator's per-team override), or the project's
// retention_days when shorter; never when pinned or still running. Teams being
// deleted are left to the team-deletion cron.

// The plans' retention as a VALUES list, generated from worker/lib/plans.ts so
// the limit still comes from one place; the override rule mirrors
// effectiveLimits (a finite number ≥ 0 replaces the plan's value).
const planDays = sql.join(
  Object.entries(plans).map(([name, l]) => sql`(${name}::text, ${l.retentionDays}::float8)`),
  sql`, `,
);
const teamDays = sql`case
  when jsonb_typeof(t.plan_overrides -> 'retentionDays') = 'number' and (t.plan_overrides ->> 'retentionDays')::float8 >= 0
    then (t.plan_overrides ->> 'retentionDays')::float8
  else coalesce(pd.days, ${plans.free.retentionDays}::float8) end`;

export type CandidateScope = {
  teamId?: string;
  projectId?: string;
  runIds?: string[];
  // The preview's "what goes within N days"; the cron uses 0.
  withinDays?: number;
  limit: number;
  // The preview lists oldest first; the cron takes whatever it meets first, so
  // the scan stops as soon as it has a batch.
  ordered?: boolean;
};

export type Candidate = {
  team_id: string;
  id: string;
  name: string;
  project_id: string;
  created_at: string | Date;
  deletes_at: string | Date;
  team_days: number;
  points: number;
};

// One index probe per project on runs_team_project_created_idx (team_id,
// project_id, created_at desc), starting at that project's own cutoff, so runs
// inside the window are never read. Old pinned runs are re-read by each pass
// (there are few; see the report on issue 11 for the index that would skip them).
export function candidatesSql(s: CandidateScope): SQL {
  const within = s.withinDays ?? 0;
  const team = s.teamId ? sql`and t.id = ${s.teamId}` : sql``;
  const project = s.projectId ? sql`and p.id = ${s.projectId}` : sql``;
  const ids = s.runIds ? sql`and r.id in ${s.runIds}` : sql``;
  return sql`
    with plan_days(plan, days) as (values ${planDays}),
    team_days as (
      select t.id as team_id, ${teamDays} as days
      from teams t left join plan_days pd on pd.plan = t.plan
      where t.deleting_at is null ${team}
    )
    select r.team_id, r.id, r.name, r.project_id, r.created_at,
      r.created_at + make_interval(secs => d.days * 86400) as deletes_at,
      td.days as team_days,
      (select coalesce(sum((v ->> 'count')::float8), 0)::float8 from jsonb_each(r.summary) as e(k, v)
        where jsonb_typeof(v -> 'count') = 'number') as points
    from team_days td
    join projects p on p.team_id = td.team_id ${project}
    cross join lateral (select least(td.days, coalesce(p.retention_days::float8, td.days)) as days) d
    cross join lateral (
      select r.team_id, r.id, r.name, r.project_id, r.created_at, r.summary from runs r
      where r.team_id = p.team_id and r.project_id = p.id
        and r.created_at < now() + make_interval(days => ${within}::int) - make_interval(secs => d.days * 86400)
        and not r.pinned and r.status <> 'running' ${ids}
      ${s.ordered ? sql`order by r.created_at, r.id` : sql``}
      limit ${s.limit}
    ) r
    ${s.ordered ? sql`order by deletes_at, r.id` : sql``}
    limit ${s.limit}`;
}

export async function findCandidates(db: Writer, s: CandidateScope): Promise<Candidate[]> {
  const res = await db.execute(candidatesSql(s));
  return (res.rows as Candidate[]).map((r) => ({ ...r, team_days: Number(r.team_days), points: Number(r.points) }));
}
