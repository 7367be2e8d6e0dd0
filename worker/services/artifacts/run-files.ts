import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { runFiles } from "../../../schema";
import type { Db } from "../../lib/db";
import type { Store } from "../../lib/presign";
import { getRunInTeam } from "../run-lookup";
import { planUploads, registerObjects, uniqueObjects, verifyObjects, type FileEntry } from "./objects";

// Loose files on a run go up the same way as a version's: announce, PUT to the
// presigned URLs, commit. Re-announcing a path replaces that file.
export async function announceRunFiles(db: Db, store: Store, teamId: string, runId: string, files: FileEntry[]) {
  await getRunInTeam(db, teamId, runId);
  const unique = uniqueObjects(files);
  const rows = await db.transaction(async (tx) => {
    await tx
      .insert(runFiles)
      .values(files.map((f) => ({ teamId, runId, ...f })))
      .onConflictDoUpdate({
        target: [runFiles.teamId, runFiles.runId, runFiles.path],
        set: { sha256: sql`excluded.sha256`, size: sql`excluded.size`, state: "pending", createdAt: sql`now()` },
      });
    return registerObjects(tx, teamId, unique);
  });
  return planUploads(db, store, teamId, rows);
}

export async function commitRunFiles(db: Db, store: Store, teamId: string, runId: string, paths: string[]) {
  await getRunInTeam(db, teamId, runId);
  const where = and(eq(runFiles.teamId, teamId), eq(runFiles.runId, runId), inArray(runFiles.path, paths), eq(runFiles.state, "pending"));
  const pending = await db.select().from(runFiles).where(where);
  await verifyObjects(db, store, teamId, [...new Set(pending.map((f) => f.sha256))]);
  if (pending.length) await db.update(runFiles).set({ state: "committed" }).where(where);
  return listRunFiles(db, teamId, runId);
}

export async function listRunFiles(db: Db, teamId: string, runId: string) {
  await getRunInTeam(db, teamId, runId);
  return db
    .select({ path: runFiles.path, sha256: runFiles.sha256, size: runFiles.size, createdAt: runFiles.createdAt })
    .from(runFiles)
    .where(and(eq(runFiles.teamId, teamId), eq(runFiles.runId, runId), eq(runFiles.state, "committed")))
    .orderBy(asc(runFiles.path))
    .limit(1000);
}
