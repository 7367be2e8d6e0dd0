import { and, arrayContains, eq, getTableColumns, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { projects, runs, type RunStatus } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { assertJsonObject, slugName } from "../lib/validation";
import { ensureProject, getProjectInTeam, type Project } from "./projects";
import { getRunInTeam, inactiveRun, type Run } from "./run-lookup";
import { afterCursor, decodeCursor, encodeCursor, filterCondition, orderClause, parseOrderBy, sortKeyText, type Cursor, type Sort } from "./run-query";
import { runName } from "./run-names";
import { reserveRun } from "./usage";

export const MAX_CONFIG_BYTES = 64 * 1024;
export const MAX_SUMMARY_BYTES = 64 * 1024;

type JsonObject = Record<string, unknown>;

export type NewRun = {
  name?: string;
  config?: JsonObject;
  tags?: string[];
  notes?: string;
  git?: { commit?: string | null; branch?: string | null; dirty?: boolean | null; remote?: string | null } | null;
  host?: string | null;
  system?: JsonObject | null;
  // The MLflow door's extras: its start_time, key-value tags and parent link.
  createdAt?: Date;
  kvTags?: Record<string, string>;
  parentId?: string | null;
};

// W&B's init(project=...) names a project that may not exist yet; an id must exist.
async function projectForCreate(db: Db, teamId: string, ref: string): Promise<Project> {
  if (ref.startsWith("prj_")) return getProjectInTeam(db, teamId, ref);
  const name = slugName.safeParse(ref);
  if (!name.success) throw new ApiError("invalid_argument", `project: ${name.error.issues[0]?.message ?? "invalid name"}`);
  return ensureProject(db, teamId, name.data);
}

export async function createRun(db: Db, teamId: string, projectRef: string, input: NewRun): Promise<Run> {
  return createRunInProject(db, teamId, await projectForCreate(db, teamId, projectRef), input);
}

export async function createRunInProject(db: Db, teamId: string, project: Project, input: NewRun & { id?: string }): Promise<Run> {
  // Generated names end in the run's ordinal in the project, as W&B's do.
  const name =
    input.name ??
    sql`${runName()} || '-' || (select count(*) + 1 from ${runs} where ${runs.teamId} = ${teamId} and ${runs.projectId} = ${project.id})::text`;
  // Checked and counted in the run's own transaction: a refused run counts
  // nothing, and a run that fails to insert gives its count back.
  return db.transaction(async (tx) => {
    await reserveRun(tx, teamId);
    const [row] = await tx
      .insert(runs)
      .values({
        teamId,
        id: input.id ?? newId("run"),
        projectId: project.id,
        name,
        config: input.config ?? {},
        tags: input.tags ?? [],
        notes: input.notes ?? "",
        git: (input.git ?? null) as Run["git"],
        host: input.host ?? null,
        system: input.system ?? null,
        kvTags: input.kvTags ?? {},
        parentId: input.parentId ?? null,
        ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      })
      .returning();
    return row!;
  });
}

const inRun = (teamId: string, runId: string) => and(eq(runs.teamId, teamId), eq(runs.id, runId));

export type RunPatch = { name?: string; tags?: string[]; notes?: string; config?: JsonObject; summary?: JsonObject };

const jsonBytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

export async function updateRun(db: Db, teamId: string, runId: string, patch: RunPatch): Promise<Run> {
  const current = await getRunInTeam(db, teamId, runId);
  if (patch.config !== undefined) {
    const merged = jsonBytes({ ...current.config, ...patch.config });
    if (merged > MAX_CONFIG_BYTES) {
      throw new ApiError("invalid_argument", `config: the merged config would be ${merged} bytes; the limit is ${MAX_CONFIG_BYTES}`);
    }
  }
  const set = {
    updatedAt: sql`now()`,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
    ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
    // Merged in SQL so concurrent patches of different keys both land.
    ...(patch.config !== undefined ? { config: sql`${runs.config} || ${JSON.stringify(patch.config)}::jsonb` } : {}),
    ...(patch.summary !== undefined ? { summaryOverrides: summaryMerge(current, patch.summary) } : {}),
  };
  const [row] = await db.update(runs).set(set).where(inRun(teamId, runId)).returning();
  if (!row) throw notFound("run");
  return row;
}

// Set keys are merged and null keys removed in one SQL expression, so
// concurrent patches of different keys both land, as with config.
function summaryMerge(current: Run, patch: JsonObject): SQL {
  assertJsonObject("summary", patch, MAX_SUMMARY_BYTES);
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
  const removed = Object.keys(patch).filter((k) => patch[k] === null);
  const gone = new Set(removed);
  const merged = jsonBytes({ ...Object.fromEntries(Object.entries(current.summaryOverrides).filter(([k]) => !gone.has(k))), ...set });
  if (merged > MAX_SUMMARY_BYTES) {
    throw new ApiError("invalid_argument", `summary: the merged summary overrides would be ${merged} bytes; the limit is ${MAX_SUMMARY_BYTES}`);
  }
  const keys = removed.length ? sql`array[${sql.join(removed.map((k) => sql`${k}`), sql`, `)}]::text[]` : sql`'{}'::text[]`;
  return sql`(${runs.summaryOverrides} - ${keys}) || ${JSON.stringify(set)}::jsonb`;
}

// A heartbeat from a run the sweep gave up on means it was only slow: revive it.
export async function heartbeatRun(db: Db, teamId: string, runId: string) {
  const [row] = await db
    .update(runs)
    .set({
      heartbeatAt: sql`now()`,
      status: sql`case when ${runs.status} = 'crashed' then 'running' else ${runs.status} end`,
      finishedAt: sql`case when ${runs.status} = 'crashed' then null else ${runs.finishedAt} end`,
    })
    .where(inRun(teamId, runId))
    .returning({ id: runs.id, status: runs.status, heartbeatAt: runs.heartbeatAt });
  if (!row) throw notFound("run");
  return row;
}

export async function finishRun(
  db: Db,
  teamId: string,
  runId: string,
  input: { status: Extract<RunStatus, "finished" | "failed" | "killed">; exit_code?: number | null },
): Promise<Run> {
  const [row] = await db
    .update(runs)
    .set({
      status: input.status,
      ...(input.exit_code !== undefined ? { exitCode: input.exit_code } : {}),
      // A retried finish keeps the first end time.
      finishedAt: sql`case when ${runs.status} in ('finished', 'failed', 'killed') then coalesce(${runs.finishedAt}, now()) else now() end`,
      heartbeatAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(inRun(teamId, runId))
    .returning();
  if (!row) throw notFound("run");
  return row;
}

// Console lines go by foreign-key cascade; metric tables hang off runs the same way.
export async function deleteRun(db: Db, teamId: string, runId: string): Promise<void> {
  const gone = await db.delete(runs).where(inRun(teamId, runId)).returning({ id: runs.id });
  if (gone.length === 0) throw notFound("run");
}

// MLflow's delete is a soft delete: the run stays readable and restorable,
// and native lists leave it out. Deleting twice is fine, as in MLflow.
export async function setRunDeleted(db: Db, teamId: string, runId: string, deleted: boolean): Promise<void> {
  const done = await db
    .update(runs)
    .set({ deletedAt: deleted ? sql`coalesce(${runs.deletedAt}, now())` : null, updatedAt: sql`now()` })
    .where(inRun(teamId, runId))
    .returning({ id: runs.id });
  if (done.length === 0) throw notFound("run");
}

export type RunInfoPatch = { status?: RunStatus; endTime?: Date; name?: string };

// MLflow's update-run: status, end time, name, on an active run. A terminal
// status without an end time ends the run now (once); running again clears it.
export async function updateRunInfo(db: Db, teamId: string, runId: string, patch: RunInfoPatch): Promise<Run> {
  const terminal = patch.status !== undefined && patch.status !== "running";
  const finishedAt =
    patch.endTime !== undefined
      ? { finishedAt: patch.endTime }
      : patch.status === undefined
        ? {}
        : { finishedAt: terminal ? sql`coalesce(${runs.finishedAt}, now())` : null };
  const [row] = await db
    .update(runs)
    .set({
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...finishedAt,
      ...(patch.name ? { name: patch.name } : {}),
      updatedAt: sql`now()`,
      heartbeatAt: sql`now()`,
    })
    .where(and(inRun(teamId, runId), isNull(runs.deletedAt)))
    .returning();
  if (row) return row;
  await getRunInTeam(db, teamId, runId);
  throw inactiveRun(runId);
}

export type ListRunsQuery = {
  limit: number;
  cursor?: string;
  status?: RunStatus[];
  tag?: string[];
  filter?: string[];
  order_by?: string;
  archived?: "exclude" | "include" | "only";
};

export async function listRuns(db: Db, teamId: string, projectRef: string, q: ListRunsQuery) {
  // Parse before any query, so a bad filter costs no database work.
  const sort = parseOrderBy(q.order_by);
  const where: (SQL | undefined)[] = (q.filter ?? []).map(filterCondition);
  const cursor = q.cursor ? decodeCursor(sort, q.cursor) : null;
  // The project is resolved inside the list query, saving a round trip; only
  // an empty page pays for the lookup that tells "no runs" from "no project".
  const projectId = projectRef.startsWith("prj_")
    ? sql`${projectRef}`
    : sql`(select ${projects.id} from ${projects} where ${projects.teamId} = ${teamId} and ${projects.name} = ${projectRef})`;
  // Soft-deleted runs (MLflow's delete) are left out of native lists.
  where.push(eq(runs.teamId, teamId), sql`${runs.projectId} = ${projectId}`, isNull(runs.deletedAt));
  if (q.archived !== "include") where.push(q.archived === "only" ? isNotNull(runs.archivedAt) : isNull(runs.archivedAt));
  if (q.status?.length) where.push(inArray(runs.status, q.status));
  if (q.tag?.length) where.push(arrayContains(runs.tags, q.tag));
  const rows = sort.nullable ? await listByJson(db, sort, where, cursor, q.limit) : await listByColumn(db, sort, where, cursor, q.limit);
  const page = rows.slice(0, q.limit);
  if (page.length === 0) await getProjectInTeam(db, teamId, projectRef);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor(sort, { v: last.sortKey, id: last.id }) : null;
  return { runs: page as Run[], nextCursor };
}

type Row = Run & { sortKey: string | null };

// created_at, name, status: a plain query, so the created_at index can end the scan early.
async function listByColumn(db: Db, sort: Sort, where: (SQL | undefined)[], cursor: Cursor | null, limit: number): Promise<Row[]> {
  const id = sql`${runs.id}`;
  if (cursor) where.push(afterCursor(sort, sort.source, id, cursor));
  return db
    .select({ ...getTableColumns(runs), sortKey: sortKeyText(sort, sort.source) })
    .from(runs)
    .where(and(...where))
    .orderBy(orderClause(sort, sort.source, id))
    .limit(limit + 1);
}

// config/summary keys: every matching run is sorted, so the key is pulled out
// of the (often compressed) jsonb once per run in a subquery that OFFSET 0
// keeps the planner from flattening; sorting and the cursor then work on that
// small value instead of detoasting summary two or three times per run
// (measured: 16 → 12 ms for 10,000 runs, more for larger summaries).
async function listByJson(db: Db, sort: Sort, where: (SQL | undefined)[], cursor: Cursor | null, limit: number): Promise<Row[]> {
  const columns = getTableColumns(runs);
  const inner = db
    .select({ ...columns, sortSource: sql`${sort.source}`.as("sort_source") })
    .from(runs)
    .where(and(...where))
    .offset(sql`0` as unknown as number)
    .as("r");
  const expr = sort.wrap(sql`${inner.sortSource}`);
  const id = sql`${inner.id}`;
  const fields = Object.fromEntries(Object.keys(columns).map((k) => [k, inner[k as keyof typeof columns]]));
  const rows = await db
    .select({ ...fields, sortKey: sortKeyText(sort, expr) })
    .from(inner)
    .where(cursor ? afterCursor(sort, expr, id, cursor) : undefined)
    .orderBy(orderClause(sort, expr, id))
    .limit(limit + 1);
  return rows as unknown as Row[];
}

// Cron: runs whose heartbeat stopped are marked crashed. Runs made by MLflow
// clients are left alone: those clients send no heartbeats (a long epoch is
// not a crash), and MLflow itself leaves a dead client's run RUNNING. Oldest
// first, in batches small enough to keep each statement short; SKIP LOCKED leaves rows
// a heartbeat is updating right now to the next sweep.
export async function markCrashedRuns(db: Db, crashAfterSeconds: number, limit: number): Promise<number> {
  let total = 0;
  while (total < limit) {
    const batch = Math.min(500, limit - total);
    const res = await db.execute(sql`
      update runs r set status = 'crashed', finished_at = r.heartbeat_at, updated_at = now()
      from (
        select team_id, id from runs
        where status = 'running' and heartbeat_at < now() - make_interval(secs => ${crashAfterSeconds})
          and coalesce(system->>'client', '') <> 'mlflow'
        order by heartbeat_at limit ${batch}
        for update skip locked
      ) stale
      where r.team_id = stale.team_id and r.id = stale.id and r.status = 'running'
      returning r.id`);
    total += res.rows.length;
    if (res.rows.length < batch) break;
  }
  return total;
}
