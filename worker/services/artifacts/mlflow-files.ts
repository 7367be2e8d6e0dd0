import { sql, type SQL } from "drizzle-orm";
import { loggedModelFiles, runFiles } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { copyObject, deleteObject, objectKey, type Store } from "../../lib/presign";
import type { ArtifactTarget } from "./mlflow-paths";
import { registerObjects, verifyObjects } from "./objects";

// The files behind MLflow's artifact paths are the same rows the native API
// uses: a run's committed run_files (so the dashboard and GET /runs/{run}/files
// show what MLflow logged, and MLflow lists what the SDK logged), and
// logged_model_files for MLflow 3's logged models.

export type ChildEntry = { name: string; isDir: boolean; size: number | null };

// Which rows a target's files are; every condition starts with the team.
function owner(t: ArtifactTarget): { table: SQL; where: SQL } {
  if (t.kind === "run") {
    return { table: sql`run_files`, where: sql`team_id = ${t.teamId} and run_id = ${t.runId} and state = 'committed'` };
  }
  return { table: sql`logged_model_files`, where: sql`team_id = ${t.teamId} and model_id = ${t.modelId}` };
}

/** Direct children of the target's directory (files and subdirectories), by name. */
export async function listChildren(db: Db, t: ArtifactTarget): Promise<ChildEntry[]> {
  const prefix = t.rel ? `${t.rel}/` : "";
  const { table, where } = owner(t);
  // The first segment after the prefix is a child; if more follows, it is a directory.
  const res = await db.execute(sql`
    select split_part(substr(path, ${prefix.length + 1}), '/', 1) as name,
           strpos(substr(path, ${prefix.length + 1}), '/') > 0 as is_dir,
           max(size) as size
    from ${table} where ${where} and starts_with(path, ${prefix})
    group by 1, 2 order by 1, 2 limit 10000`);
  return (res.rows as { name: string; is_dir: boolean; size: string | number }[]).map((r) => ({
    name: r.name,
    isDir: r.is_dir,
    size: r.is_dir ? null : Number(r.size),
  }));
}

/** The stored object behind one file, or RESOURCE_DOES_NOT_EXIST. */
export async function findFile(db: Db, t: ArtifactTarget): Promise<{ sha256: string; size: number }> {
  const { table, where } = owner(t);
  const res = await db.execute(sql`select sha256, size from ${table} where ${where} and path = ${t.rel} limit 1`);
  const row = res.rows[0] as { sha256: string; size: string | number } | undefined;
  if (!row) throw new ApiError("not_found", `No such file or directory: '${t.rel}'`);
  return { sha256: row.sha256, size: Number(row.size) };
}

/**
 * Forgets a file, or a directory and everything under it (the root: all of
 * them). The objects stay until garbage collection finds nothing names them.
 */
export async function deleteFiles(db: Db, t: ArtifactTarget): Promise<number> {
  const { table, where } = owner(t);
  const scope = t.rel ? sql`and (path = ${t.rel} or starts_with(path, ${`${t.rel}/`}))` : sql``;
  const res = await db.execute(sql`delete from ${table} where ${where} ${scope}`);
  return res.rowCount ?? 0;
}

/**
 * Makes staged bytes the target's file: registers the object (counted once
 * per team), copies it to its content address unless the team stores those
 * bytes already, then points the path at it, committed.
 */
export async function commitStaged(db: Db, store: Store, t: ArtifactTarget, staged: string, sha256: string, size: number) {
  const unique = new Map([[sha256, size]]);
  // Registering touches the object, so garbage collection leaves it alone
  // while the copy runs (its grace period is an hour).
  const [row] = await db.transaction((tx) => registerObjects(tx, t.teamId, unique));
  if (row!.state !== "stored") {
    await copyObject(store, staged, objectKey(t.teamId, sha256), size);
    await verifyObjects(db, store, t.teamId, [sha256]);
  }
  await db.transaction(async (tx) => {
    await registerObjects(tx, t.teamId, unique);
    if (t.kind === "run") {
      await tx
        .insert(runFiles)
        .values({ teamId: t.teamId, runId: t.runId, path: t.rel, sha256, size, state: "committed" })
        .onConflictDoUpdate({
          target: [runFiles.teamId, runFiles.runId, runFiles.path],
          set: { sha256, size, state: "committed", createdAt: sql`now()` },
        });
    } else {
      await tx
        .insert(loggedModelFiles)
        .values({ teamId: t.teamId, modelId: t.modelId, path: t.rel, sha256, size })
        .onConflictDoUpdate({
          target: [loggedModelFiles.teamId, loggedModelFiles.modelId, loggedModelFiles.path],
          set: { sha256, size, createdAt: sql`now()` },
        });
    }
  });
}

/** Best effort: a staged copy left behind is expired by the bucket's lifecycle rule. */
export async function dropStaged(store: Store, key: string) {
  await deleteObject(store, key).catch((err: unknown) => console.error(JSON.stringify({ error: "staged object not deleted", key, reason: String(err) })));
}
