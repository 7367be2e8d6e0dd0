import { sql } from "drizzle-orm";
import type { Db } from "../lib/db";
import type { Storage } from "../lib/storage";
import { deleteUnder, snapshotPrefix } from "./share-snapshot-store";

// A snapshot is kept while a live link (not revoked, not expired) names it;
// then its objects go, on revoke at once and by the cron for expiry, a few
// snapshots a tick. Links keep their row (owners list them) with the key cleared.
const SNAPSHOTS_PER_TICK = 20;
const OBJECTS_PER_CALL = 1000;

export async function releaseSnapshot(db: Db, storage: () => Storage, teamId: string, key: string): Promise<boolean> {
  const live = await db.execute(sql`
    select 1 from share_links where team_id = ${teamId} and snapshot_key = ${key} and revoked_at is null and expires_at > now() limit 1`);
  if (live.rows.length) return false;
  const store = storage();
  if (store) {
    // The manifest and its parts share the key as a prefix; a crash between
    // batches leaves the rows naming it, so the next sweep finishes the job.
    while ((await deleteUnder(store, key, OBJECTS_PER_CALL)) === OBJECTS_PER_CALL);
  }
  await db.execute(sql`update share_links set snapshot_key = null where team_id = ${teamId} and snapshot_key = ${key}`);
  return true;
}

// Cron: snapshots whose links have all ended.
export async function sweepShareSnapshots(db: Db, storage: () => Storage): Promise<number> {
  const due = await db.execute(sql`
    select distinct l.team_id, l.snapshot_key from share_links l
    where l.snapshot_key is not null and (l.revoked_at is not null or l.expires_at <= now())
      and not exists (select 1 from share_links k where k.team_id = l.team_id and k.snapshot_key = l.snapshot_key
        and k.revoked_at is null and k.expires_at > now())
    limit ${SNAPSHOTS_PER_TICK}`);
  let n = 0;
  for (const r of due.rows as { team_id: string; snapshot_key: string }[]) {
    if (await releaseSnapshot(db, storage, r.team_id, r.snapshot_key)) n++;
  }
  return n;
}

// Team deletion: every snapshot object under the team's prefix, a batch per call
// (returns how many it deleted; fewer than the batch means none are left).
export const TEAM_SNAPSHOT_BATCH = OBJECTS_PER_CALL;
export async function deleteTeamSnapshots(storage: () => Storage, teamId: string): Promise<number> {
  const store = storage();
  return store ? deleteUnder(store, snapshotPrefix(teamId), OBJECTS_PER_CALL) : 0;
}
