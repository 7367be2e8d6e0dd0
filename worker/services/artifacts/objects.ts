import { and, eq, inArray, sql } from "drizzle-orm";
import { objects } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { QuotaError } from "../team-limits";
import {
  abortMultipart, completeMultipart, createMultipart, headSize, listParts, objectKey, presignPart, presignPut,
  type Store,
} from "../../lib/presign";
import { int, numArray, rows, textArray, type Q } from "../metrics/sql";
import { enforceQuota, limitsOf, overridesSql, planSql, type PlanRow } from "../usage";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type FileEntry = { path: string; size: number; sha256: string };
export type ObjectRow = typeof objects.$inferSelect;

// Below this a file goes up in one PUT; at and above it, in parts of PART_SIZE
// (grown for huge files so no file needs more than MAX_PARTS_PER_FILE parts).
export const MULTIPART_THRESHOLD = 64 * 1024 * 1024;
export const PART_SIZE = 16 * 1024 * 1024;
const MAX_PARTS_PER_FILE = 1000;
// Presigning costs CPU; one announcement may ask for at most this many URLs.
export const MAX_URLS_PER_REQUEST = 2000;

export type Upload =
  | { sha256: string; size: number; method: "PUT"; url: string }
  | { sha256: string; size: number; method: "MULTIPART"; part_size: number; parts: { part_number: number; url: string }[] };

export const partSizeFor = (size: number) =>
  Math.max(PART_SIZE, Math.ceil(size / MAX_PARTS_PER_FILE / (1024 * 1024)) * 1024 * 1024);

/** One entry per unique hash; the same hash announced with two sizes is a client bug. */
export function uniqueObjects(files: FileEntry[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of files) {
    const had = out.get(f.sha256);
    if (had !== undefined && had !== f.size) {
      throw new ApiError("invalid_argument", `files: sha256 ${f.sha256} is announced with sizes ${had} and ${f.size}`);
    }
    out.set(f.sha256, f.size);
  }
  return out;
}

// Inside the caller's transaction, together with the rows that reference the
// objects: the upsert touches every row (and locks it), so garbage collection
// cannot take an object between "already stored, skip the upload" and the commit.
export async function registerObjects(tx: Tx, teamId: string, unique: Map<string, number>): Promise<ObjectRow[]> {
  if (unique.size === 0) return [];
  await reserveStorage(tx, teamId, unique);
  const rows = await tx
    .insert(objects)
    .values([...unique].map(([sha256, size]) => ({ teamId, sha256, size })))
    .onConflictDoUpdate({ target: [objects.teamId, objects.sha256], set: { touchedAt: sql`now()` } })
    .returning();
  for (const r of rows) {
    if (r.size !== unique.get(r.sha256)) {
      throw new ApiError("conflict", `files: sha256 ${r.sha256} is stored with size ${r.size}, not ${unique.get(r.sha256)}`);
    }
  }
  return rows;
}

/** Presigned URLs for the objects the team does not store yet; stored ones need nothing. */
export async function planUploads(db: Db, store: Store, teamId: string, rows: ObjectRow[]): Promise<Upload[]> {
  const pending = rows.filter((r) => r.state === "pending");
  const urls = pending.reduce((n, r) => n + (r.size >= MULTIPART_THRESHOLD ? Math.ceil(r.size / partSizeFor(r.size)) : 1), 0);
  if (urls > MAX_URLS_PER_REQUEST) {
    throw new ApiError("invalid_argument", `files: this needs ${urls} upload URLs; announce at most ${MAX_URLS_PER_REQUEST} parts' worth at a time`);
  }
  return mapLimit(pending, 8, async (r): Promise<Upload> => {
    const key = objectKey(teamId, r.sha256);
    if (r.size < MULTIPART_THRESHOLD) return { sha256: r.sha256, size: r.size, method: "PUT", url: await presignPut(store, key) };
    const { uploadId, partSize } = await ensureMultipart(db, store, teamId, r);
    const count = Math.ceil(r.size / partSize);
    const parts = await Promise.all(
      Array.from({ length: count }, async (_, i) => ({ part_number: i + 1, url: await presignPart(store, key, uploadId, i + 1) })),
    );
    return { sha256: r.sha256, size: r.size, method: "MULTIPART", part_size: partSize, parts };
  });
}

// Concurrent uploaders of the same bytes share one multipart upload: the first
// to record its upload id wins, and a loser aborts its own.
async function ensureMultipart(db: Db, store: Store, teamId: string, r: ObjectRow) {
  if (r.uploadId && r.partSize) return { uploadId: r.uploadId, partSize: r.partSize };
  const key = objectKey(teamId, r.sha256);
  const uploadId = await createMultipart(store, key);
  const partSize = partSizeFor(r.size);
  const [won] = await db
    .update(objects)
    .set({ uploadId, partSize })
    .where(and(eq(objects.teamId, teamId), eq(objects.sha256, r.sha256), sql`${objects.uploadId} is null`))
    .returning();
  if (won) return { uploadId, partSize };
  await abortMultipart(store, key, uploadId);
  const [now] = await db.select().from(objects).where(and(eq(objects.teamId, teamId), eq(objects.sha256, r.sha256)));
  if (!now?.uploadId || !now.partSize) throw new ApiError("conflict", `files: upload of ${r.sha256} changed under us; announce again`);
  return { uploadId: now.uploadId, partSize: now.partSize };
}

/**
 * Checks that every pending object among `shas` is in the store with its
 * announced size (completing multipart uploads first), then marks them stored.
 * Throws `conflict` naming what is missing; nothing becomes visible then.
 */
export async function verifyObjects(db: Db, store: Store, teamId: string, shas: string[]): Promise<void> {
  if (shas.length === 0) return;
  const pending = await db
    .select()
    .from(objects)
    .where(and(eq(objects.teamId, teamId), inArray(objects.sha256, shas), eq(objects.state, "pending")));
  const problems = (await mapLimit(pending, 8, (r) => checkOne(db, store, teamId, r))).filter((p): p is string => p !== null);
  if (problems.length) {
    throw new ApiError("conflict", `upload incomplete: ${problems.slice(0, 5).join("; ")}`, { missing: problems.length });
  }
  const ok = pending.map((r) => r.sha256);
  if (ok.length) {
    // The reserve counted these at announce; a plan lowered since, or
    // concurrent announces far from the limit, are caught here.
    const used = await storageRead(db, teamId);
    const { plan, limits } = limitsOf(used);
    if (int(used.used) > limits.storageBytes) {
      const bytes = pending.reduce((n, r) => n + r.size, 0);
      throw new QuotaError("quota", "storageBytes", { limit: limits.storageBytes, used: int(used.used) - bytes, plan }, storageRefusal(int(used.used) - bytes, limits.storageBytes, bytes));
    }
    await db
      .update(objects)
      .set({ state: "stored", uploadId: null, touchedAt: sql`now()` })
      .where(and(eq(objects.teamId, teamId), inArray(objects.sha256, ok)));
  }
}

async function checkOne(db: Db, store: Store, teamId: string, r: ObjectRow): Promise<string | null> {
  const key = objectKey(teamId, r.sha256);
  let size = await headSize(store, key);
  if (size === r.size) return null;
  if (r.uploadId && r.partSize) {
    const parts = await listParts(store, key, r.uploadId);
    if (!parts) {
      // The store forgot the upload (aborted or expired): the next announcement starts a new one.
      await db.update(objects).set({ uploadId: null, partSize: null }).where(and(eq(objects.teamId, teamId), eq(objects.sha256, r.sha256)));
      return `${r.sha256}: its multipart upload is gone; announce again`;
    }
    const count = Math.ceil(r.size / r.partSize);
    const byNumber = new Map(parts.map((p) => [p.number, p]));
    for (let n = 1; n <= count; n++) {
      const want = n < count ? r.partSize : r.size - r.partSize * (count - 1);
      const got = byNumber.get(n);
      if (!got) return `${r.sha256}: part ${n} of ${count} was not uploaded`;
      if (got.size !== want) return `${r.sha256}: part ${n} has ${got.size} bytes, expected ${want}`;
    }
    await completeMultipart(store, key, r.uploadId, [...byNumber.values()].filter((p) => p.number <= count).sort((a, b) => a.number - b.number));
    size = await headSize(store, key);
    if (size === r.size) return null;
  }
  return size === null ? `${r.sha256}: not uploaded` : `${r.sha256}: store has ${size} bytes, announced ${r.size}`;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const storageRefusal = (used: number, limit: number, need: number) =>
  `storage: this team stores ${fmt(used)} of its ${fmt(limit)} bytes (uploads in progress included); these ${fmt(need)} new bytes would exceed it`;

// The plan row and the team's bytes, pending uploads included (a reservation),
// and of `unique` the bytes the team does not hold yet (dedup is free).
async function storageRead(q: Q, teamId: string, unique: Map<string, number> = new Map()) {
  const [r] = await rows<PlanRow & { used: string; fresh: string }>(
    q,
    sql`select ${planSql(teamId)} as plan, ${overridesSql(teamId)} as overrides,
      (select coalesce(sum(size), 0)::int8 from objects where team_id = ${teamId}) as used,
      (select coalesce(sum(u.size), 0)::int8 from unnest(${textArray([...unique.keys()])}::text[], ${numArray([...unique.values()])}::int8[]) as u(sha, size)
        where not exists (select 1 from objects o where o.team_id = ${teamId} and o.sha256 = u.sha)) as fresh`,
  );
  return r!;
}

async function reserveStorage(tx: Tx, teamId: string, unique: Map<string, number>) {
  const first = await storageRead(tx, teamId, unique);
  const need = int(first.fresh);
  if (need === 0) return;
  const { plan, limits } = limitsOf(first);
  await enforceQuota(tx, teamId, {
    name: "storageBytes",
    plan,
    limit: limits.storageBytes,
    used: int(first.used),
    need,
    // After the lock another announce may have added some of the same objects: recount both.
    reread: async () => {
      const again = await storageRead(tx, teamId, unique);
      return int(again.used) + int(again.fresh) - need;
    },
    describe: (used, limit) => storageRefusal(used, limit, need),
  });
}

export async function storageUsage(db: Db, teamId: string): Promise<{ bytes: number; objects: number }> {
  const [row] = await db
    .select({ bytes: sql<string>`coalesce(sum(${objects.size}), 0)`, count: sql<number>`count(*)::int` })
    .from(objects)
    .where(and(eq(objects.teamId, teamId), eq(objects.state, "stored")));
  return { bytes: Number(row?.bytes ?? 0), objects: row?.count ?? 0 };
}

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
