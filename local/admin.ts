// The operator's verbs behind `npm run admin` (local/admin-cli.ts): list teams,
// show one, set its plan or per-team overrides. Plans and limit names come from
// worker/lib/plans.ts, the one place limits live. Every change is written with
// its audit row in one transaction (actor kind "operator"), mirroring
// worker/services/audit.ts's recordAudit (which Node cannot import here: the
// Worker's modules use extensionless imports).
import { effectiveLimits, isPlanName, limitNames, planNames, type Limits } from "../worker/lib/plans.ts";

export type Query = { query(text: string, params?: unknown[]): Promise<{ rows: any[] }> };
// A client that can hold a transaction (a pooled connection).
export type Tx = Query & { release?: () => void };

export class AdminError extends Error {}

export type TeamRow = { id: string; name: string; plan: string; overrides: Record<string, number>; deletingAt: string | null };

export async function listTeams(db: Query) {
  const { rows } = await db.query(`
    select t.id, t.name, t.plan, t.deleting_at, (select count(*) from memberships m where m.team_id = t.id)::int as members
    from teams t order by t.created_at, t.id`);
  return rows.map((r) => ({ id: r.id as string, name: r.name as string, plan: r.plan as string, members: r.members as number, deleting: r.deleting_at !== null }));
}

// By id, or else by exact name; a name two teams share must be given as an id.
export async function findTeam(db: Query, ref: string, lock = false): Promise<TeamRow> {
  const forUpdate = lock ? " for update" : "";
  const byId = await db.query(`select id, name, plan, plan_overrides, deleting_at from teams where id = $1${forUpdate}`, [ref]);
  let rows = byId.rows;
  if (rows.length === 0) rows = (await db.query(`select id, name, plan, plan_overrides, deleting_at from teams where name = $1 order by id${forUpdate}`, [ref])).rows;
  if (rows.length === 0) throw new AdminError(`no team with id or name "${ref}" (npm run admin -- teams lists them)`);
  if (rows.length > 1) throw new AdminError(`${rows.length} teams are named "${ref}": give an id (${rows.map((r) => r.id).join(", ")})`);
  const r = rows[0];
  return { id: r.id, name: r.name, plan: r.plan, overrides: r.plan_overrides ?? {}, deletingAt: r.deleting_at ? new Date(r.deleting_at).toISOString() : null };
}

export async function showTeam(db: Query, ref: string) {
  const team = await findTeam(db, ref);
  const members = (await db.query("select count(*)::int as n from memberships where team_id = $1", [team.id])).rows[0].n as number;
  // The month so far, from the sharded per-day counters ingest and run creation keep.
  const { rows } = await db.query(
    `select coalesce(sum(points), 0)::bigint as points, coalesce(sum(runs), 0)::bigint as runs
     from usage_daily where team_id = $1 and day >= date_trunc('month', now() at time zone 'UTC')::date`,
    [team.id],
  );
  return {
    ...team,
    limits: effectiveLimits(team.plan, team.overrides),
    usage: { seats: members, metricPointsThisMonth: Number(rows[0].points), runsThisMonth: Number(rows[0].runs) },
  };
}

// `<limit>=<number>` or `<limit>=unset`, checked whole before anything is written.
export function parseOverrides(args: string[]): Record<string, number | null> {
  if (args.length === 0) throw new AdminError(`override: give at least one <limit>=<number>|unset (limits: ${limitNames.join(", ")})`);
  const out: Record<string, number | null> = {};
  for (const arg of args) {
    const at = arg.indexOf("=");
    if (at <= 0) throw new AdminError(`override: "${arg}" is not <limit>=<number>|unset`);
    const name = arg.slice(0, at);
    const raw = arg.slice(at + 1).trim();
    if (!(limitNames as string[]).includes(name)) throw new AdminError(`override: unknown limit "${name}" (limits: ${limitNames.join(", ")})`);
    if (raw === "unset") {
      out[name] = null;
      continue;
    }
    // Digits (and one decimal point, for fractional rates) only: "1e3", "", "-5", "Infinity" are refused.
    const value = /^\d+(\.\d+)?$/.test(raw.replaceAll("_", "")) ? Number(raw.replaceAll("_", "")) : NaN;
    if (!Number.isFinite(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
      throw new AdminError(`override: ${name} must be a non-negative number or "unset" (got "${raw}")`);
    }
    if (name !== "ingestPointsPerSecond" && name !== "apiRequestsPerSecond" && !Number.isInteger(value)) {
      throw new AdminError(`override: ${name} must be a whole number (got "${raw}")`);
    }
    out[name] = value;
  }
  return out;
}

async function inTransaction<T>(db: Tx, fn: () => Promise<T>): Promise<T> {
  await db.query("begin");
  try {
    const out = await fn();
    await db.query("commit");
    return out;
  } catch (e) {
    await db.query("rollback").catch(() => undefined);
    throw e;
  }
}

async function audit(db: Query, teamId: string, operator: string, action: string, details: Record<string, unknown>) {
  await db.query(
    `insert into audit_log (team_id, actor_kind, actor_user_id, action, resource_type, resource_id, details)
     values ($1, 'operator', $2, $3, 'team', $1, $4)`,
    [teamId, operator, action, JSON.stringify(details)],
  );
}

export async function setPlan(db: Tx, ref: string, plan: string, operator: string) {
  if (!isPlanName(plan)) throw new AdminError(`plan: "${plan}" is not a plan (plans: ${planNames.join(", ")})`);
  return inTransaction(db, async () => {
    const team = await findTeam(db, ref, true);
    await db.query("update teams set plan = $2 where id = $1", [team.id, plan]);
    await audit(db, team.id, operator, "plan.set", { from: team.plan, to: plan });
    return { team, from: team.plan, to: plan };
  });
}

export async function setOverrides(db: Tx, ref: string, changes: Record<string, number | null>, operator: string) {
  return inTransaction(db, async () => {
    const team = await findTeam(db, ref, true);
    const next: Partial<Record<keyof Limits, number>> = { ...team.overrides };
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete next[k as keyof Limits];
      else next[k as keyof Limits] = v;
    }
    await db.query("update teams set plan_overrides = $2 where id = $1", [team.id, JSON.stringify(next)]);
    await audit(db, team.id, operator, "plan.override", { from: team.overrides, to: next, changed: changes });
    return { team, from: team.overrides, to: next, limits: effectiveLimits(team.plan, next as Record<string, number>) };
  });
}
