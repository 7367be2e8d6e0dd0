import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../lib/db";

// What the metric services need from a database handle: a Db or a transaction's tx.
export type Q = Pick<Db, "execute">;

export async function rows<T>(q: Q, query: SQL): Promise<T[]> {
  const res = await q.execute(query);
  return res.rows as T[];
}

// Postgres array literals, so one parameter carries a whole column of a
// multi-row insert (drizzle would spread a JS array into many parameters).
export const numArray = (xs: ArrayLike<number>): string => `{${Array.from(xs, num).join(",")}}`;
export const nullableNumArray = (xs: (number | null)[]): string => `{${xs.map((x) => (x === null ? "NULL" : num(x))).join(",")}}`;
// Keys are limited to [A-Za-z0-9_./ -], so quoting needs no escapes.
export const textArray = (xs: string[]): string => `{${xs.map((x) => `"${x}"`).join(",")}}`;
export const boolArray = (xs: boolean[]): string => `{${xs.map((x) => (x ? "t" : "f")).join(",")}}`;
// Elements are "\x…" hex; inside a quoted array element a backslash is doubled.
export const byteaArray = (hex: string[]): string => `{${hex.map((h) => `"\\${h}"`).join(",")}}`;

// Postgres float8 input accepts NaN, Infinity and -Infinity spelled this way.
function num(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

export const int = (v: unknown): number => (typeof v === "number" ? v : Number(v));

// Reads that take several statements (chunk pages) run in one snapshot:
// compaction replaces chunks between two statements of a plain read, and a
// reader paging by (step_min, id) would then skip or outdate points. Read-only
// REPEATABLE READ never waits for writers and never fails with a conflict.
const SNAPSHOT = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

export function inSnapshot<T>(db: Db, read: (tx: Q) => Promise<T>): Promise<T> {
  return db.transaction(read, SNAPSHOT);
}

export type HeldSnapshot = { tx: Q; end: () => Promise<void> };

// A snapshot that outlives the call, for a response streamed as the client
// pulls: it holds the request's one connection (the pool's end() waits for
// it) until end(), which the stream calls when it finishes, fails or is
// cancelled. The label becomes the backend's application_name for the
// snapshot's life, so a long-held one is visible in pg_stat_activity.
export async function holdSnapshot(db: Db, label: string): Promise<HeldSnapshot> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let opened!: (tx: Q) => void;
  const open = new Promise<Q>((r) => (opened = r));
  const whole = db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('application_name', ${label}, true)`);
    opened(tx);
    await released;
  }, SNAPSHOT);
  // Rejects only if BEGIN or the first statement failed, before `open`.
  const tx = await Promise.race([open, whole.then(() => open)]);
  let ending: Promise<void> | undefined;
  return { tx, end: () => (ending ??= (release(), whole.catch(() => undefined))) };
}
