import { sql, type SQL } from "drizzle-orm";
import { runs } from "../../schema";
import { ApiError } from "../lib/errors";
import type { SearchOrder } from "./run-search";
import { paramValue, stringAttribute, tagValue } from "./run-search-values";
import { decodeJsonToken, encodeJsonToken } from "../lib/page-token";

// The search's order as a list of never-NULL sort keys, and page tokens that
// resume strictly after the last run shown (keyset): a run inserted or
// deleted between two pages never makes another repeat or go missing.
//
// MLflow puts runs without the value last in both directions, and for metrics
// NaN after the real values but before the missing ones. Each order term is
// therefore two keys: a group (0 value, 1 NaN, 2 missing; always ascending)
// and the value (a constant outside group 0), so no key is ever NULL and the
// token compares with plain = and < or >.

type KeyType = "int" | "float8" | "text" | "ts";

// `source` is evaluated once per run (in the search's inner query, where the
// runs table is in scope); `expr` turns that value, as a column of the inner
// query, into the never-NULL sort key. Several keys may share one source.
export type SortKey = { source: number; expr: (col: SQL) => SQL; asc: boolean; type: KeyType; sig: string };
// A source is SQL over the runs row, or a metric key (all metrics a search
// uses are read from one decompression of the summary: see run-search.ts).
export type Source = SQL | { metric: string };
export type Order = { sources: Source[]; keys: SortKey[] };

function groupAndValue(source: number, type: "text" | "float8" | "ts", asc: boolean, sig: string, nanGroup = false): SortKey[] {
  const group = (x: SQL) =>
    nanGroup ? sql`(case when ${x} is null then 2 when ${x} = 'NaN'::float8 then 1 else 0 end)` : sql`(case when ${x} is null then 1 else 0 end)`;
  const value = (x: SQL) =>
    type === "float8"
      ? sql`(case when ${x} is null or ${x} = 'NaN'::float8 then 0::float8 else ${x} end)`
      : type === "ts"
        ? sql`coalesce(${x}, timestamptz 'epoch')`
        : // Byte order: the same on every server, whatever its default collation.
          sql`(coalesce(${x}, '') collate "C")`;
  return [
    { source, expr: group, asc: true, type: "int", sig: `${sig}:g` },
    { source, expr: value, asc, type, sig },
  ];
}

const same = (x: SQL) => x;

export function orderKeys(order: SearchOrder[]): Order {
  const sources: Source[] = [];
  const keys: SortKey[] = [];
  let byStart = false;
  for (const o of order) {
    const sig = `${o.entity}.${o.key}:${o.asc ? "asc" : "desc"}`;
    const src = sources.length;
    if (o.entity === "metric") {
      sources.push({ metric: o.key });
      keys.push(...groupAndValue(src, "float8", o.asc, sig, true));
    } else if (o.entity === "param" || o.entity === "tag") {
      sources.push(o.entity === "param" ? paramValue(o.key) : tagValue(o.key));
      keys.push(...groupAndValue(src, "text", o.asc, sig));
    } else if (o.key === "start_time") {
      byStart = true;
      sources.push(sql`${runs.createdAt}`);
      keys.push({ source: src, expr: same, asc: o.asc, type: "ts", sig });
    } else if (o.key === "end_time") {
      sources.push(sql`${runs.finishedAt}`);
      keys.push(...groupAndValue(src, "ts", o.asc, sig));
    } else {
      sources.push(stringAttribute(o.key));
      keys.push(...groupAndValue(src, "text", o.asc, sig));
    }
  }
  // MLflow's natural order: newest first, then run id.
  if (!byStart) {
    keys.push({ source: sources.length, expr: same, asc: false, type: "ts", sig: "start_time:default" });
    sources.push(sql`${runs.createdAt}`);
  }
  return { sources, keys };
}

// A key's value as text for the page token: float8's text form round-trips
// exactly; times go as integer microseconds since the epoch.
export function keyText(k: SortKey, col: SQL): SQL<string> {
  if (k.type === "ts") return sql<string>`((extract(epoch from ${col}) * 1000000)::int8)::text`;
  return sql<string>`(${col})::text`;
}

function cast(k: SortKey, v: string): SQL {
  if (k.type === "int") return sql`${v}::int4`;
  if (k.type === "float8") return sql`${v}::float8`;
  if (k.type === "ts") return sql`(timestamptz 'epoch' + ${v}::int8 * interval '1 microsecond')`;
  return sql`(${v}::text collate "C")`;
}

// Rows strictly after the token's position in the order (keys, then run id ascending).
export function afterToken(keys: SortKey[], cols: SQL[], id: SQL, t: PageToken): SQL {
  let tail = sql`${id} > ${t.id}`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    const v = cast(k, t.v[i]!);
    tail = sql`(${cols[i]} ${sql.raw(k.asc ? ">" : "<")} ${v} or (${cols[i]} = ${v} and ${tail}))`;
  }
  return tail;
}

export type PageToken = { v: string[]; id: string };

const signature = (keys: SortKey[]) => keys.map((k) => k.sig).join(",");

export function tokenFor(keys: SortKey[], values: string[], id: string): string {
  return encodeJsonToken({ o: signature(keys), v: values, id });
}

const FLOAT = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function validValue(k: SortKey, v: unknown): v is string {
  if (typeof v !== "string") return false;
  if (k.type === "int") return /^[0-2]$/.test(v);
  if (k.type === "ts") return /^-?\d{1,17}$/.test(v);
  if (k.type === "float8") return v === "Infinity" || v === "-Infinity" || (FLOAT.test(v) && v.length < 400 && Number.isFinite(Number(v)));
  return v.length <= 100_000 && !v.includes("\u0000");
}

// A token is opaque but not trusted: each value is checked against what its
// cast accepts, so a tampered token is a 400, never a SQL error.
export function decodeToken(keys: SortKey[], raw: string): PageToken {
  const invalid = new ApiError("invalid_argument", "Invalid page token: not a page token of this search");
  let parsed: { o?: unknown; v?: unknown; id?: unknown };
  try {
    parsed = decodeJsonToken(raw) as typeof parsed;
  } catch {
    throw invalid;
  }
  if (!parsed || typeof parsed !== "object") throw invalid;
  if (parsed.o !== signature(keys)) throw new ApiError("invalid_argument", "Invalid page token: it was made for a different order_by");
  const { v, id } = parsed;
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw invalid;
  if (!Array.isArray(v) || v.length !== keys.length || !v.every((x, i) => validValue(keys[i]!, x))) throw invalid;
  return { v: v as string[], id };
}
