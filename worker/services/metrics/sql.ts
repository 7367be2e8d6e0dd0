import type { SQL } from "drizzle-orm";
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
