import { sql, type SQL } from "drizzle-orm";
import { runs } from "../../schema";
import { ApiError } from "../lib/errors";
import { decodeJsonToken, encodeJsonToken } from "../lib/page-token";

// Turns the list query's `filter` and `order_by` strings into SQL over the
// runs' jsonb columns. User text never becomes SQL: field names, paths and
// values are bound parameters; operators come from a fixed table.

const MAX_PATH_DEPTH = 10;
const MAX_KEY_CHARS = 256;

type Field = { kind: "name" } | { kind: "config"; path: string[] } | { kind: "summary"; key: string; agg: string };

const bad = (where: string, raw: string, why: string) => new ApiError("invalid_argument", `${where}: "${raw}" ${why}`);

function parseField(raw: string, where: string, full: string): Field {
  if (raw === "name") return { kind: "name" };
  if (raw.startsWith("config.")) {
    const path = raw.slice("config.".length).split(".");
    if (path.some((p) => p === "" || p.length > MAX_KEY_CHARS)) throw bad(where, full, "has an empty or overlong config key");
    if (path.length > MAX_PATH_DEPTH) throw bad(where, full, `goes deeper than ${MAX_PATH_DEPTH} config levels`);
    return { kind: "config", path };
  }
  if (raw.startsWith("summary.")) {
    const rest = raw.slice("summary.".length);
    const dot = rest.lastIndexOf(".");
    const key = rest.slice(0, Math.max(dot, 0));
    const agg = rest.slice(dot + 1);
    if (dot <= 0 || !["last", "min", "max"].includes(agg) || key.length > MAX_KEY_CHARS) {
      throw bad(where, full, "must be summary.<metric key>.<last|min|max>");
    }
    return { kind: "summary", key, agg };
  }
  throw bad(where, full, "names an unknown field; use name, config.<key> or summary.<key>.<last|min|max>");
}

const textPath = (parts: string[]) => sql`ARRAY[${sql.join(parts.map((p) => sql`${p}::text`), sql`, `)}]`;

function jsonAt(f: Exclude<Field, { kind: "name" }>): SQL {
  return f.kind === "config" ? sql`(${runs.config} #> ${textPath(f.path)})` : sql`(${runs.summary} #> ${textPath([f.key, f.agg])})`;
}

// A jsonb value as a number: JSON numbers, and the strings metric summaries use
// for non-finite values. Anything else is NULL, so a cast can never fail.
function numeric(x: SQL): SQL {
  return sql`(case jsonb_typeof(${x}) when 'number' then (${x})::numeric when 'string' then case ${x} #>> '{}' when 'NaN' then 'NaN'::numeric when 'Infinity' then 'Infinity'::numeric when '-Infinity' then '-Infinity'::numeric end end)`;
}

const ops: Record<string, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const numberText = /^[-+]?(\d{1,300}\.?\d{0,300}|\.\d{1,300})([eE][-+]?\d{1,3})?$|^(NaN|-?Infinity)$/;

export function filterCondition(raw: string): SQL {
  const m = /^([^=!<>~]+)(!=|<=|>=|=|<|>|~)([\s\S]*)$/.exec(raw);
  if (!m) throw bad("filter", raw, "is not <field><op><value> with op one of = != < <= > >= ~");
  if (raw.includes("\u0000")) throw bad("filter", raw.replace(/\u0000/g, "\\u0000"), "must not contain NUL");
  const [, fieldText, op, value] = m as unknown as [string, string, string, string];
  // Nested runs (MLflow's mlflow.parentRunId): parent_id=<run id> lists a run's children.
  if (fieldText.trim() === "parent_id") {
    if (op !== "=") throw bad("filter", raw, "compares parent_id only with =");
    return sql`${runs.parentId} = ${value}`;
  }
  const field = parseField(fieldText.trim(), "filter", raw);
  const target = field.kind === "name" ? sql`${runs.name}` : sql`(${jsonAt(field)} #>> '{}')`;
  if (op === "~") return sql`strpos(lower(${target}), lower(${value})) > 0`;
  if (field.kind !== "name" && numberText.test(value)) {
    return sql`${numeric(jsonAt(field))} ${sql.raw(ops[op]!)} ${value}::numeric`;
  }
  return sql`${target} ${sql.raw(ops[op]!)} ${value}`;
}

// What the list is sorted by. `source` is the column or the jsonb value the
// key comes from; `wrap` turns it into the comparable value (numeric for
// summaries). `expr` below is wrap(source) or wrap(a column that holds source).
type Kind = "time" | "text" | "json" | "num";
export type Sort = { spec: string; kind: Kind; desc: boolean; nullable: boolean; source: SQL; wrap: (x: SQL) => SQL };

const same = (x: SQL) => x;

export function parseOrderBy(spec = "-created_at"): Sort {
  if (spec.includes("\u0000")) throw bad("order_by", spec.replace(/\u0000/g, "\\u0000"), "must not contain NUL");
  const desc = spec.startsWith("-");
  const raw = desc ? spec.slice(1) : spec;
  const column = (kind: Kind, source: SQL): Sort => ({ spec, desc, kind, nullable: false, source, wrap: same });
  if (raw === "created_at") return column("time", sql`${runs.createdAt}`);
  if (raw === "name") return column("text", sql`${runs.name}`);
  if (raw === "status") return column("text", sql`${runs.status}`);
  const field = parseField(raw, "order_by", spec);
  if (field.kind === "name") return column("text", sql`${runs.name}`);
  if (field.kind === "config") return { spec, desc, kind: "json", nullable: true, source: jsonAt(field), wrap: same };
  return { spec, desc, kind: "num", nullable: true, source: jsonAt(field), wrap: numeric };
}

export function sortKeyText(s: Sort, expr: SQL): SQL<string | null> {
  if (s.kind === "time") return sql<string>`((extract(epoch from ${expr}) * 1000000)::bigint)::text`;
  return sql<string | null>`(${expr})::text`;
}

function cast(s: Sort, v: string): SQL {
  if (s.kind === "time") return sql`(timestamptz 'epoch' + ${v}::bigint * interval '1 microsecond')`;
  if (s.kind === "json") return sql`${v}::jsonb`;
  if (s.kind === "num") return sql`${v}::numeric`;
  return sql`${v}::text`;
}

export function orderClause(s: Sort, expr: SQL, id: SQL): SQL {
  const dir = sql.raw(s.desc ? "desc nulls last" : "asc nulls last");
  return sql`${expr} ${dir}, ${id} ${sql.raw(s.desc ? "desc" : "asc")}`;
}

// Keyset: rows strictly after the cursor's (value, id) in the list's order,
// where runs without the value come last in both directions.
export function afterCursor(s: Sort, expr: SQL, id: SQL, c: Cursor): SQL {
  const op = sql.raw(s.desc ? "<" : ">");
  const idAfter = sql`${id} ${op} ${c.id}`;
  if (c.v === null) return sql`(${expr} is null and ${idAfter})`;
  const v = cast(s, c.v);
  if (!s.nullable) return sql`(${expr} ${sql.raw(s.desc ? "<=" : ">=")} ${v} and (${expr} ${op} ${v} or ${idAfter}))`;
  return sql`(${expr} ${op} ${v} or (${expr} = ${v} and ${idAfter}) or ${expr} is null)`;
}

export type Cursor = { v: string | null; id: string };

export function encodeCursor(s: Sort, c: Cursor): string {
  return encodeJsonToken({ o: s.spec, v: c.v, id: c.id });
}

// A cursor is opaque but not trusted: its value is checked against what the
// sort's cast accepts, so a tampered cursor is a 400, never a SQL error.
export function decodeCursor(s: Sort, raw: string): Cursor {
  const invalid = new ApiError("invalid_argument", "cursor: not a cursor from this listing");
  let parsed: { o?: unknown; v?: unknown; id?: unknown };
  try {
    parsed = decodeJsonToken(raw) as typeof parsed;
  } catch {
    throw invalid;
  }
  if (!parsed || typeof parsed !== "object") throw invalid;
  if (parsed.o !== s.spec) throw new ApiError("invalid_argument", `cursor: was made for another order_by than "${s.spec}"`);
  const { v, id } = parsed;
  if (typeof id !== "string" || !/^[A-Za-z0-9_]{1,64}$/.test(id)) throw invalid;
  if (v === null) return { v, id };
  if (typeof v !== "string" || v.length > 4096 || v.includes("\u0000")) throw invalid;
  const ok =
    s.kind === "time"
      ? /^-?\d{1,18}$/.test(v)
      : s.kind === "num"
        ? /^-?\d{1,400}(\.\d{1,400})?$|^(NaN|-?Infinity)$/.test(v)
        : s.kind === "json"
          ? validJsonText(v)
          : true;
  if (!ok) throw invalid;
  return { v, id };
}

function validJsonText(v: string): boolean {
  if (/\\u(0000|d[89a-f])/i.test(v)) return false;
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}
