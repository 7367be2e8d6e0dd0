import { sql } from "drizzle-orm";
import type { Db } from "../../lib/db";
import { abortMultipart, deleteObject, objectKey, type Store } from "../../lib/presign";
import type { Storage } from "../../lib/storage";
import { mapLimit } from "./objects";

// An object untouched this long and named by no version, run file or logged
// model file is garbage.
// Uploads touch their objects, so the grace must outlast any upload (URLs live 15 min).
export const GC_GRACE_SECONDS = 3600;
// Versions and run files announced but never committed are dropped after a day.
export const PENDING_TTL_SECONDS = 86_400;
const BATCH = 200;

type Candidate = { team_id: string; sha256: string; upload_id: string | null };

// Bounded per tick: at most BATCH abandoned versions, run files and objects, so a
// team with millions of orphans is cleaned over several ticks, not in one.
export async function collectArtifactGarbage(db: Db, storage: () => Storage) {
  const store = storage();
  if (!store) return { skipped: "storage not configured" };
  await db.execute(sql`
    delete from artifact_versions where (team_id, id) in (
      select team_id, id from artifact_versions
      where state = 'pending' and created_at < now() - make_interval(secs => ${PENDING_TTL_SECONDS}) limit ${BATCH})`);
  await db.execute(sql`
    delete from run_files where (team_id, run_id, path) in (
      select team_id, run_id, path from run_files
      where state = 'pending' and created_at < now() - make_interval(secs => ${PENDING_TTL_SECONDS}) limit ${BATCH})`);
  return db.transaction(async (tx) => {
    // SKIP LOCKED: an upload announcing the same object holds its row, and wins.
    const found = await tx.execute(sql`
      select o.team_id, o.sha256, o.upload_id from objects o
      where o.touched_at < now() - make_interval(secs => ${GC_GRACE_SECONDS})
        and not exists (select 1 from artifact_files f where f.team_id = o.team_id and f.sha256 = o.sha256)
        and not exists (select 1 from run_files r where r.team_id = o.team_id and r.sha256 = o.sha256)
        and not exists (select 1 from logged_model_files m where m.team_id = o.team_id and m.sha256 = o.sha256)
      limit ${BATCH} for update of o skip locked`);
    const rows = found.rows as Candidate[];
    await mapLimit(rows, 8, (r) => removeObject(store, r));
    for (const r of rows) {
      await tx.execute(sql`delete from objects where team_id = ${r.team_id} and sha256 = ${r.sha256}`);
    }
    return { freed: rows.length };
  });
}

async function removeObject(store: Store, r: Candidate) {
  const key = objectKey(r.team_id, r.sha256);
  if (r.upload_id) await abortMultipart(store, key, r.upload_id);
  await deleteObject(store, key);
}
