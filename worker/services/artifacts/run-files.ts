import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { runFiles } from "../../../schema";
import type { Db } from "../../lib/db";
import type { Store } from "../../lib/presign";
import { getRunInTeam } from "../run-lookup";
import { planUploads, registerObjects, uniqueObjects, verifyObjects, type FileEntry } from "./objects";

// Loose files on a run go up the same way as a version's: announce, PUT to the
// presigned URLs, commit. Re-announcing a path replaces that file only when
// the new bytes commit: until then the committed row stays listed, and it is
// what keeps the old object from garbage collection.
//
// The table's key is (team, run, path), one row per path, so an announced
// file waits under a staged key that no real path can take (file paths are
// relative: they never start with "/"). Commit moves it onto the real path;
// left uncommitted, it expires with the other pending rows (gc.ts).
const STAGED = "/staged/";
const staged = (path: string) => STAGED + path;

export async function announceRunFiles(db: Db, store: Store, teamId: string, runId: string, files: FileEntry[]) {
  await getRunInTeam(db, teamId, runId);
  const unique = uniqueObjects(files);
  const rows = await db.transaction(async (tx) => {
    await tx
      .insert(runFiles)
      .values(files.map((f) => ({ teamId, runId, ...f, path: staged(f.path) })))
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
  const stagedPaths = paths.map(staged);
  const ofRun = and(eq(runFiles.teamId, teamId), eq(runFiles.runId, runId), eq(runFiles.state, "pending"));
  // Rows announced before staging existed wait on their own path, pending.
  const pending = await db
    .select()
    .from(runFiles)
    .where(and(ofRun, inArray(runFiles.path, [...stagedPaths, ...paths])));
  const shas = [...new Set(pending.map((f) => f.sha256))];
  await verifyObjects(db, store, teamId, shas);
  if (pending.length) {
    await db.transaction(async (tx) => {
      // Only rows whose bytes were just verified: a path re-announced meanwhile
      // with other bytes stays staged for its own commit.
      const verified = and(ofRun, inArray(runFiles.sha256, shas));
      const moved = await tx
        .delete(runFiles)
        .where(and(verified, inArray(runFiles.path, stagedPaths)))
        .returning();
      if (moved.length) {
        await tx
          .insert(runFiles)
          .values(moved.map((f) => ({ ...f, path: f.path.slice(STAGED.length), state: "committed" as const, createdAt: sql`now()` })))
          .onConflictDoUpdate({
            target: [runFiles.teamId, runFiles.runId, runFiles.path],
            set: { sha256: sql`excluded.sha256`, size: sql`excluded.size`, state: "committed", createdAt: sql`now()` },
          });
      }
      await tx.update(runFiles).set({ state: "committed" }).where(and(verified, inArray(runFiles.path, paths)));
    });
  }
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
