import { and, eq, sql, type SQL } from "drizzle-orm";
import { runs } from "../../schema";
import type { Db, Writer } from "../lib/db";
import { newId } from "../lib/ids";
import type { Project } from "./projects";
import { ApiError, notFound } from "../lib/errors";
import { GIT_COMMIT_TAG, LABELS_TAG, NOTE_TAG, PARENT_TAG, RUN_NAME_TAG, USER_TAG } from "./system-tags";
import { inactiveRun, type Run } from "./run-lookup";
import { createRunInProject } from "./runs";

// MLflow's key-value run tags. Most live in runs.kv_tags (last write wins);
// the few that mean something to Sightline live only in their own column, so
// both doors read one value: mlflow.runName → name, mlflow.note.content →
// notes, mlflow.source.git.commit → git.commit, mlflow.parentRunId →
// parent_id. The MLflow door shows them as tags again (lib/serialize-run.ts).

export type Tag = { key: string; value: string };

// kv_tags is returned with every run, in lists too, so its size is capped.
export const MAX_KV_TAGS_BYTES = 256 * 1024;

const readOnly = (key: string) =>
  new ApiError("invalid_argument", `tag '${key}' is read-only: it lists the run's labels; change them with PATCH /api/v1/runs/{run}`);

// Same-team parent only: another team's run id reads as no run at all.
async function checkParent(q: Writer, teamId: string, runId: string, parentId: string) {
  if (parentId === runId) throw new ApiError("invalid_argument", `tag '${PARENT_TAG}': a run cannot be its own parent`);
  const [row] = await q.select({ id: runs.id }).from(runs).where(and(eq(runs.teamId, teamId), eq(runs.id, parentId))).limit(1);
  if (!row) throw new ApiError("invalid_argument", `tag '${PARENT_TAG}': there is no run with id '${parentId}'`);
}

// Columns a tag list sets (a later tag of the same key wins), for an insert or an update.
export async function tagColumns(q: Writer, teamId: string, runId: string, tags: Tag[]) {
  const plain: Record<string, string> = {};
  const cols: { name?: string; notes?: string; gitCommit?: string; parentId?: string } = {};
  for (const { key, value } of tags) {
    if (key === RUN_NAME_TAG) {
      // MLflow ignores an empty run name; so does Sightline (a run always has one).
      if (value) cols.name = value;
    } else if (key === NOTE_TAG) cols.notes = value;
    else if (key === GIT_COMMIT_TAG) cols.gitCommit = value;
    else if (key === PARENT_TAG) cols.parentId = value;
    else if (key === LABELS_TAG) throw readOnly(key);
    else plain[key] = value;
  }
  if (cols.parentId !== undefined) await checkParent(q, teamId, runId, cols.parentId);
  return { plain, ...cols };
}

export async function setRunTags(q: Writer, teamId: string, runId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  const c = await tagColumns(q, teamId, runId, tags);
  const plain = JSON.stringify(c.plain);
  const set: Record<string, SQL | string> = {
    kvTags: sql`${runs.kvTags} || ${plain}::jsonb`,
    updatedAt: sql`now()`,
    heartbeatAt: sql`now()`,
    status: sql`case when ${runs.status} = 'crashed' then 'running' else ${runs.status} end`,
  };
  if (c.name !== undefined) set.name = c.name;
  if (c.notes !== undefined) set.notes = c.notes;
  if (c.gitCommit !== undefined) set.git = sql`coalesce(${runs.git}, '{}'::jsonb) || ${JSON.stringify({ commit: c.gitCommit })}::jsonb`;
  if (c.parentId !== undefined) set.parentId = c.parentId;
  const bytes = sql`octet_length((${runs.kvTags} || ${plain}::jsonb)::text)`;
  const done = await q
    .update(runs)
    .set(set)
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId), sql`${runs.deletedAt} is null`, sql`${bytes} <= ${MAX_KV_TAGS_BYTES}`))
    .returning({ id: runs.id });
  if (done.length > 0) return;
  const [row] = await q
    .select({ deleted: sql<boolean>`${runs.deletedAt} is not null`, bytes: sql<number>`${bytes}` })
    .from(runs)
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId)));
  if (!row) throw notFound("run");
  if (row.deleted) throw inactiveRun(runId);
  throw new ApiError("invalid_argument", `tags: the run's tags would take ${row.bytes} bytes; Sightline keeps at most ${MAX_KV_TAGS_BYTES} bytes of tags per run`);
}

// What deleting each kind of tag does to the row, and how to tell it is there.
function deletion(key: string): { has: SQL; set: Record<string, SQL | string | null> } {
  if (key === RUN_NAME_TAG) {
    throw new ApiError("invalid_argument", `tag '${RUN_NAME_TAG}' is the run's name and cannot be deleted; set a new name instead`);
  }
  if (key === LABELS_TAG) throw readOnly(key);
  if (key === NOTE_TAG) return { has: sql`${runs.notes} <> ''`, set: { notes: "" } };
  if (key === GIT_COMMIT_TAG) return { has: sql`${runs.git} ->> 'commit' is not null`, set: { git: sql`${runs.git} - 'commit'` } };
  if (key === PARENT_TAG) return { has: sql`${runs.parentId} is not null`, set: { parentId: null } };
  return { has: sql`${runs.kvTags} ? ${key}`, set: { kvTags: sql`${runs.kvTags} - ${key}::text` } };
}

export async function deleteRunTag(q: Writer, teamId: string, runId: string, key: string): Promise<void> {
  const d = deletion(key);
  const done = await q
    .update(runs)
    .set({ ...d.set, updatedAt: sql`now()` })
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId), sql`${runs.deletedAt} is null`, d.has))
    .returning({ id: runs.id });
  if (done.length > 0) return;
  const [row] = await q
    .select({ deleted: sql<boolean>`${runs.deletedAt} is not null` })
    .from(runs)
    .where(and(eq(runs.teamId, teamId), eq(runs.id, runId)));
  if (!row) throw notFound("run");
  if (row.deleted) throw inactiveRun(runId);
  throw new ApiError("not_found", `No tag with name: ${key} in run with id ${runId}`);
}

export type NewTaggedRun = { name?: string; tags: Tag[]; createdAt?: Date; userId?: string };

// MLflow's create-run: its tags land in their columns from the start; the
// user id is the mlflow.user tag (what the run info's user_id reads).
export async function createRunWithTags(db: Db, teamId: string, project: Project, input: NewTaggedRun): Promise<Run> {
  const id = newId("run");
  const c = await tagColumns(db, teamId, id, input.tags);
  if (input.name && c.name && input.name !== c.name) {
    throw new ApiError(
      "invalid_argument",
      `Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different values (run_name='${input.name}', ${RUN_NAME_TAG}='${c.name}').`,
    );
  }
  const kvTags = { ...c.plain };
  if (input.userId && kvTags[USER_TAG] === undefined) kvTags[USER_TAG] = input.userId;
  const bytes = new TextEncoder().encode(JSON.stringify(kvTags)).length;
  if (bytes > MAX_KV_TAGS_BYTES) {
    throw new ApiError("invalid_argument", `tags: the run's tags would take ${bytes} bytes; Sightline keeps at most ${MAX_KV_TAGS_BYTES} bytes of tags per run`);
  }
  return createRunInProject(db, teamId, project, {
    id,
    name: input.name || c.name,
    notes: c.notes,
    git: c.gitCommit !== undefined ? { commit: c.gitCommit } : null,
    parentId: c.parentId ?? null,
    kvTags,
    createdAt: input.createdAt,
    // MLflow clients send no heartbeats: the crash sweep leaves such runs alone (markCrashedRuns).
    system: { client: "mlflow" },
  });
}
