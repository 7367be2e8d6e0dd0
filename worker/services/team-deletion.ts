import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { objects, teams } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { abortMultipart, deleteObject, objectKey } from "../lib/presign";
import type { Storage } from "../lib/storage";
import { mapLimit } from "./artifacts/objects";
import { deleteTeamSnapshots, TEAM_SNAPSHOT_BATCH } from "./share-snapshot-gc";

// Deleting a team happens in two steps. The owner's request marks the row
// (teams.deleting_at): from then the key and session lookups treat the team as
// gone, so every credential stops within the key cache's TTL. The cron then
// deletes the data in bounded batches, objects first (their rows are how we
// find them), then runs (their metric chunks, logs and files cascade), then
// the team row, which cascades everything else. Each tick resumes where the
// last one stopped, because each step only looks at what is still there.

// Presigned PUT URLs live 15 minutes and a cached credential up to a minute:
// the store is emptied only after both have run out, so no upload lands in a
// prefix already cleaned.
export const TEAM_DELETION_GRACE_SECONDS = 20 * 60;
const OBJECTS_PER_TICK = 1000;
const RUNS_PER_TICK = 200;
const TEAMS_PER_TICK = 5;

export async function markTeamForDeletion(db: Db, teamId: string, confirm: string) {
  const [team] = await db.select({ id: teams.id, name: teams.name, deletingAt: teams.deletingAt }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw notFound("team");
  if (confirm !== team.name) {
    throw new ApiError("invalid_argument", "confirm: type the team's exact name to delete it (case and spaces count)");
  }
  if (team.deletingAt) return { ...team, deletingAt: team.deletingAt };
  const [marked] = await db
    .update(teams)
    .set({ deletingAt: sql`coalesce(${teams.deletingAt}, now())` })
    .where(eq(teams.id, teamId))
    .returning({ id: teams.id, name: teams.name, deletingAt: teams.deletingAt });
  return { ...marked!, deletingAt: marked!.deletingAt! };
}

type Step = { objects: number; runs: number; done: boolean };

// Cron: a few teams per tick, each by at most OBJECTS_PER_TICK objects and
// RUNS_PER_TICK runs. Returns how many teams were removed for good this tick.
export async function runTeamDeletions(db: Db, storage: () => Storage): Promise<{ teams: number; objects: number; runs: number }> {
  const due = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(isNotNull(teams.deletingAt), sql`${teams.deletingAt} < now() - make_interval(secs => ${TEAM_DELETION_GRACE_SECONDS})`))
    .orderBy(teams.deletingAt)
    .limit(TEAMS_PER_TICK);
  const total = { teams: 0, objects: 0, runs: 0 };
  for (const { id } of due) {
    const step = await deleteSomeOfTeam(db, storage, id);
    total.objects += step.objects;
    total.runs += step.runs;
    if (step.done) total.teams++;
  }
  return total;
}

async function deleteSomeOfTeam(db: Db, storage: () => Storage, teamId: string): Promise<Step> {
  // Frozen share snapshots have no rows of their own: they go by the team's prefix.
  if ((await deleteTeamSnapshots(storage, teamId)) === TEAM_SNAPSHOT_BATCH) return { objects: TEAM_SNAPSHOT_BATCH, runs: 0, done: false };
  const objects = await deleteObjects(db, storage, teamId);
  if (objects === OBJECTS_PER_TICK) return { objects, runs: 0, done: false };
  const deleted = await db.execute(sql`
    delete from runs where (team_id, id) in (
      select team_id, id from runs where team_id = ${teamId} limit ${RUNS_PER_TICK})`);
  const runs = deleted.rowCount ?? 0;
  if (runs === RUNS_PER_TICK) return { objects, runs, done: false };
  // Objects and registered models carry no foreign key to the team; the rest
  // cascades from the team row. One transaction, so a half-deleted team
  // never loses its mark.
  const done = await db.transaction(async (tx) => {
    const left = await tx.execute(sql`select 1 from objects where team_id = ${teamId} limit 1`);
    if (left.rows.length) return false;
    await tx.execute(sql`delete from registered_models where team_id = ${teamId}`);
    await tx.execute(sql`delete from teams where id = ${teamId} and deleting_at is not null`);
    return true;
  });
  if (done) console.log(JSON.stringify({ team_deletion: teamId, finished: true }));
  return { objects, runs, done };
}

// Deletes a batch of the team's objects from the store, then their rows: a
// failure in the store leaves the rows, so the next tick tries those again.
async function deleteObjects(db: Db, storage: () => Storage, teamId: string): Promise<number> {
  const found = await db.execute(sql`
    select sha256, upload_id from objects where team_id = ${teamId} limit ${OBJECTS_PER_TICK}`);
  const rows = found.rows as { sha256: string; upload_id: string | null }[];
  if (!rows.length) return 0;
  const store = storage();
  // Without a store configured there are no bytes to delete, only rows.
  if (store) {
    await mapLimit(rows, 8, async (r) => {
      const key = objectKey(teamId, r.sha256);
      if (r.upload_id) await abortMultipart(store, key, r.upload_id);
      await deleteObject(store, key);
    });
  }
  const shas = rows.map((r) => r.sha256);
  await db.delete(objects).where(and(eq(objects.teamId, teamId), inArray(objects.sha256, shas)));
  return rows.length;
}
