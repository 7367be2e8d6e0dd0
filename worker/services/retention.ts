import { and, eq, sql } from "drizzle-orm";
import { projects, runs, teams } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { effectiveLimits } from "../lib/plans";
import type { Storage } from "../lib/storage";
import { recordAudit, systemActor } from "./audit";
import { candidatesSql, findCandidates, type Candidate } from "./retention-candidates";

// History retention: the cron deletes runs past their plan's (or project's
// shorter) retention, never pinned or running ones, in bounded batches; the
// preview shows what it would delete. Rows of a run (metric series and chunks,
// batches, console logs, run files, datasets, lineage) go by FK cascade, each
// found through an index that starts with (team_id, run_id | series_id). Run
// files' objects become unreferenced and the artifact GC, which the cron runs
// right after this, frees them once past its grace period.

export type RetentionOptions = {
  // Runs a tick may delete: the rest waits for the next tick (resumable,
  // since a deleted run simply stops being a candidate).
  maxRuns?: number;
  // No new delete starts after this long.
  budgetMs?: number;
};

export const RETENTION_MAX_RUNS = 200;
export const RETENTION_BUDGET_MS = 20_000;
// One delete statement (and transaction) covers at most this many points (~125
// to a chunk row) or runs, so locks stay short and a huge run goes alone.
const GROUP_POINTS = 1_000_000;
const GROUP_RUNS = 50;

export type RetentionPass = { runs: number; points: number; teams: number; more: boolean };

export async function runRetention(db: Db, _storage: () => Storage, opts: RetentionOptions = {}): Promise<RetentionPass> {
  const maxRuns = opts.maxRuns ?? RETENTION_MAX_RUNS;
  const deadline = Date.now() + (opts.budgetMs ?? RETENTION_BUDGET_MS);
  const found = await findCandidates(db, { limit: maxRuns });
  const byTeam = new Map<string, Candidate[]>();
  for (const c of found) byTeam.set(c.team_id, [...(byTeam.get(c.team_id) ?? []), c]);
  const pass: RetentionPass = { runs: 0, points: 0, teams: 0, more: found.length >= maxRuns };
  for (const [teamId, cands] of byTeam) {
    let runsDeleted = 0;
    let pointsDeleted = 0;
    for (const group of groups(cands)) {
      if (Date.now() > deadline) {
        pass.more = true;
        break;
      }
      const gone = await deleteGroup(db, teamId, group.map((c) => c.id));
      runsDeleted += gone.runs;
      pointsDeleted += gone.points;
    }
    if (runsDeleted === 0) continue;
    pass.runs += runsDeleted;
    pass.points += pointsDeleted;
    pass.teams += 1;
    const days = cands[0]!.team_days;
    await recordAudit(db, teamId, systemActor, {
      action: "retention.pass",
      resourceType: "team",
      resourceId: teamId,
      details: {
        runs_deleted: runsDeleted,
        points_deleted: pointsDeleted,
        retention_days: days,
        // The plan's cutoff; a project with a shorter retention has its own.
        cutoff: new Date(Date.now() - days * 86_400_000).toISOString(),
      },
    });
  }
  return pass;
}

function* groups(cands: Candidate[]): Generator<Candidate[]> {
  let group: Candidate[] = [];
  let points = 0;
  for (const c of cands) {
    if (group.length > 0 && (group.length >= GROUP_RUNS || points + c.points > GROUP_POINTS)) {
      yield group;
      group = [];
      points = 0;
    }
    group.push(c);
    points += c.points;
  }
  if (group.length > 0) yield group;
}

// Deletes by primary key, re-checking every condition in this statement's
// snapshot: a run pinned, resumed or given a longer retention since the
// candidates were read stays. The pinned/status test on the deleted row itself
// is re-evaluated if a concurrent update of that row commits meanwhile.
async function deleteGroup(db: Db, teamId: string, ids: string[]): Promise<{ runs: number; points: number }> {
  const res = await db.execute(sql`
    delete from runs x using (${candidatesSql({ teamId, runIds: ids, limit: ids.length })}) c
    where x.team_id = c.team_id and x.id = c.id and not x.pinned and x.status <> 'running'
    returning c.points`);
  const rows = res.rows as { points: number | string }[];
  return { runs: rows.length, points: rows.reduce((n, r) => n + Number(r.points), 0) };
}

// The team's effective retention (plan, or operator override), read fresh: an
// answer that refuses a project setting must name the value in force.
export async function teamRetention(db: Db, teamId: string): Promise<{ plan: string; days: number }> {
  const [row] = await db.select({ plan: teams.plan, overrides: teams.planOverrides }).from(teams).where(eq(teams.id, teamId)).limit(1);
  if (!row) throw notFound("team");
  return { plan: row.plan, days: effectiveLimits(row.plan, row.overrides ?? {}).retentionDays };
}

export const PREVIEW_MAX_RUNS = 1000;

export type Preview = { retentionDays: number; runs: Candidate[]; truncated: boolean };

// What the next pass would delete (withinDays 0), or what goes within N days,
// oldest first; for one project or the whole team.
export async function previewRetention(
  db: Db,
  teamId: string,
  project: { id: string; retentionDays: number | null } | null,
  withinDays: number,
): Promise<Preview> {
  const { days } = await teamRetention(db, teamId);
  const found = await findCandidates(db, { teamId, projectId: project?.id, withinDays, limit: PREVIEW_MAX_RUNS + 1, ordered: true });
  return {
    retentionDays: project?.retentionDays != null ? Math.min(days, project.retentionDays) : days,
    runs: found.slice(0, PREVIEW_MAX_RUNS),
    truncated: found.length > PREVIEW_MAX_RUNS,
  };
}

export async function setRunPinned(db: Db, teamId: string, runId: string, pinned: boolean): Promise<void> {
  const rows = await db
    .update(runs)
    .set({ pinned, updatedAt: sql`now()` })
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId)))
    .returning({ id: runs.id });
  if (rows.length === 0) throw notFound("run");
}

// A project may only shorten the plan's retention; null goes back to the plan's.
export async function checkProjectRetention(db: Db, teamId: string, days: number | null): Promise<void> {
  if (days === null) return;
  const team = await teamRetention(db, teamId);
  if (days > team.days) {
    throw new ApiError(
      "invalid_argument",
      `retention_days: ${days} is longer than the ${team.plan} plan's retention of ${team.days} days; a project may only shorten it`,
    );
  }
}

export async function setProjectRetention(db: Db, teamId: string, projectId: string, days: number | null): Promise<void> {
  await checkProjectRetention(db, teamId, days);
  await db
    .update(projects)
    .set({ retentionDays: days, updatedAt: new Date() })
    .where(and(eq(projects.teamId, teamId), eq(projects.id, projectId)));
}
