import { ApiError } from "../lib/errors";

// MLflow's search_experiments filter and order_by grammar
// (mlflow/utils/search_utils.py SearchExperimentsUtils), parsed into clauses:
//   name = 'x' AND tags.team LIKE 'cv-%' AND creation_time >= 1700000000000
// Identifiers: name, experiment_id, creation_time, last_update_time, bare or
// as attribute.<key>; tag.<key> / tags.<key>, the key bare or quoted ("..",
// '..', `..`). Clauses are joined by AND only, as in MLflow.

export const STRING_ATTRS = ["name", "experiment_id"] as const;
export const TIME_ATTRS = ["creation_time", "last_update_time"] as const;
const ATTRS = [...STRING_ATTRS, ...TIME_ATTRS] as string[];

type StringAttr = (typeof STRING_ATTRS)[number];
type TimeAttr = (typeof TIME_ATTRS)[number];
export type Clause =
  | { kind: "string"; key: StringAttr; op: "=" | "!=" | "LIKE" | "ILIKE"; value: string }
  | { kind: "list"; key: "experiment_id"; op: "IN" | "NOT IN"; values: string[] }
  | { kind: "time"; key: TimeAttr; op: "=" | "!=" | "<" | "<=" | ">" | ">="; value: number }
  | { kind: "tag"; key: string; op: "=" | "!=" | "LIKE" | "ILIKE"; value: string }
  | { kind: "tag-null"; key: string; op: "IS NULL" | "IS NOT NULL" };

export type OrderTerm = { key: StringAttr | TimeAttr; asc: boolean };

type Tok =
  | { t: "ident"; v: string }
  | { t: "str"; v: string }
  | { t: "num"; v: number; raw: string }
  | { t: "op"; v: string }
  | { t: "punct"; v: "(" | ")" | "," };

const bad = (message: string) => new ApiError("invalid_argument", message);
const KEYWORDS = new Set(["AND", "OR", "NOT", "LIKE", "ILIKE", "IN", "IS", "NULL"]);

// Reads a quoted run starting at s[i] (the quote), SQL-style: a doubled quote is one quote.
function quoted(s: string, i: number): { v: string; end: number } {
  const q = s[i]!;
  let v = "";
  let j = i + 1;
  for (;;) {
    if (j >= s.length) throw bad(`Invalid filter string: unterminated ${q} quote at position ${i}`);
    if (s[j] === q) {
      if (s[j + 1] === q) {
        v += q;
        j += 2;
        continue;
      }
      return { v, end: j + 1 };
    }
    v += s[j++]!;
  }
}

function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const q = quoted(s, i);
      toks.push({ t: "str", v: q.v });
      i = q.end;
    } else if (c === "`") {
      const q = quoted(s, i);
      toks.push({ t: "ident", v: q.v });
      i = q.end;
    } else if ("(),".includes(c)) {
      toks.push({ t: "punct", v: c as "(" | ")" | "," });
      i++;
    } else if (/[<>=!]/.test(c)) {
      const m = /^(<=|>=|!=|<>|==|=|<|>)/.exec(s.slice(i));
      if (!m) throw bad(`Invalid filter string: unexpected '${c}' at position ${i}`);
      const o = m[1]!;
      toks.push({ t: "op", v: o === "<>" ? "!=" : o === "==" ? "=" : o });
      i += o.length;
    } else if (/[-+\d.]/.test(c)) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(i));
      if (!m) throw bad(`Invalid filter string: unexpected '${c}' at position ${i}`);
      toks.push({ t: "num", v: Number(m[0]), raw: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      // An identifier: a word, then optionally ".key" where key is bare
      // (dots allowed: tags.mlflow.note.content) or quoted.
      const w = /^[A-Za-z_]\w*/.exec(s.slice(i))![0];
      i += w.length;
      if (s[i] === "." && i + 1 < s.length) {
        i++;
        if ("'\"`".includes(s[i]!)) {
          const q = quoted(s, i);
          toks.push({ t: "ident", v: `${w}.${q.v}` });
          i = q.end;
        } else {
          const k = /^[\w.:/-]*/.exec(s.slice(i))![0];
          if (!k) throw bad(`Invalid filter string: expected a key after '${w}.' at position ${i}`);
          toks.push({ t: "ident", v: `${w}.${k}` });
          i += k.length;
        }
      } else {
        toks.push({ t: "ident", v: w });
      }
    } else {
      throw bad(`Invalid filter string: unexpected '${c}' at position ${i}`);
    }
  }
  return toks;
}

type Identifier = { type: "attribute"; key: string } | { type: "tag"; key: string };

function identifier(raw: string, validAttrs: string[]): Identifier {
  const dot = raw.indexOf(".");
  if (dot < 0) {
    if (!validAttrs.includes(raw)) throw bad(`Invalid attribute key '${raw}' specified. Valid keys are ${JSON.stringify(validAttrs)}`);
    return { type: "attribute", key: raw };
  }
  const entity = raw.slice(0, dot);
  const key = raw.slice(dot + 1);
  if (entity === "tag" || entity === "tags") return { type: "tag", key };
  if (entity !== "attribute") throw bad(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
  if (!validAttrs.includes(key)) throw bad(`Invalid attribute key '${key}' specified. Valid keys are ${JSON.stringify(validAttrs)}`);
  return { type: "attribute", key };
}

const isWord = (t: Tok | undefined, w: string) => t?.t === "ident" && t.v.toUpperCase() === w;

export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || !filter.trim()) return [];
  // Postgres refuses NUL in text; say so instead of failing the query.
  if (filter.includes("\u0000")) throw bad("Invalid filter string: must not contain NUL (\\u0000)");
  const toks = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  const show = (t: Tok | undefined) => (t ? (t.t === "num" ? t.raw : String(t.v)) : "end of filter");
  while (i < toks.length) {
    const left = toks[i++]!;
    if (left.t !== "ident" || KEYWORDS.has(left.v.toUpperCase())) {
      throw bad(`Invalid clause(s) in filter string: expected an identifier such as name or tags.<key>, got '${show(left)}'`);
    }
    const id = identifier(left.v, ATTRS);
    // The comparator: a symbol, or LIKE / ILIKE / IN / NOT IN / IS [NOT] NULL.
    let op: string;
    const t = toks[i];
    if (t?.t === "op") {
      op = t.v;
      i++;
    } else if (isWord(t, "LIKE") || isWord(t, "ILIKE") || isWord(t, "IN")) {
      op = (t as { v: string }).v.toUpperCase();
      i++;
    } else if (isWord(t, "NOT") && isWord(toks[i + 1], "IN")) {
      op = "NOT IN";
      i += 2;
    } else if (isWord(t, "IS") && isWord(toks[i + 1], "NULL")) {
      op = "IS NULL";
      i += 2;
    } else if (isWord(t, "IS") && isWord(toks[i + 1], "NOT") && isWord(toks[i + 2], "NULL")) {
      op = "IS NOT NULL";
      i += 3;
    } else {
      throw bad(`Invalid clause(s) in filter string: expected a comparator after '${left.v}', got '${show(t)}'`);
    }
    const name = id.type === "tag" ? `tags.${id.key}` : id.key;
    const refuse = (allowed: string[]) =>
      bad(`Invalid comparator '${op}' for ${name}: not one of ${JSON.stringify(allowed)}`);
    const stringValue = (): string => {
      const v = toks[i++];
      if (v?.t !== "str") throw bad(`Expected a quoted string value for ${name} (e.g. 'my-value'). Got value ${show(v)}`);
      return v.v;
    };

    if (id.type === "tag") {
      const allowed = ["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"];
      if (!allowed.includes(op)) throw refuse(allowed);
      if (op === "IS NULL" || op === "IS NOT NULL") clauses.push({ kind: "tag-null", key: id.key, op });
      else clauses.push({ kind: "tag", key: id.key, op: op as "=", value: stringValue() });
    } else if ((TIME_ATTRS as readonly string[]).includes(id.key)) {
      const allowed = ["=", "!=", "<", "<=", ">", ">="];
      if (!allowed.includes(op)) throw refuse(allowed);
      const v = toks[i++];
      if (v?.t !== "num" || !Number.isFinite(v.v)) throw bad(`Expected numeric value type for numeric attribute: ${id.key}. Found ${show(v)}`);
      clauses.push({ kind: "time", key: id.key as TimeAttr, op: op as "=", value: v.v });
    } else {
      const allowed = id.key === "experiment_id" ? ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"] : ["=", "!=", "LIKE", "ILIKE"];
      if (!allowed.includes(op)) throw refuse(allowed);
      if (op === "IN" || op === "NOT IN") {
        clauses.push({ kind: "list", key: "experiment_id", op, values: stringList() });
      } else {
        clauses.push({ kind: "string", key: id.key as StringAttr, op: op as "=", value: stringValue() });
      }
    }
    if (i < toks.length) {
      if (!isWord(toks[i], "AND")) throw bad(`Invalid clause(s) in filter string: expected AND, got '${show(toks[i])}' (only AND joins clauses)`);
      i++;
      if (i >= toks.length) throw bad("Invalid clause(s) in filter string: nothing after AND");
    }
  }
  return clauses;

  function stringList(): string[] {
    const values: string[] = [];
    const open = toks[i];
    if (open?.t !== "punct" || open.v !== "(") throw bad(`Invalid filter string: IN expects a list like ('a', 'b')`);
    i++;
    for (;;) {
      const v = toks[i++];
      if (v?.t !== "str") throw bad(`Invalid filter string: IN expects a list of quoted strings, got '${show(v)}'`);
      values.push(v.v);
      const sep = toks[i++];
      if (sep?.t === "punct" && sep.v === ")") return values;
      if (sep?.t !== "punct" || sep.v !== ",") throw bad(`Invalid filter string: expected ',' or ')' in the IN list, got '${show(sep)}'`);
    }
  }
}

// "name", "name DESC", "attribute.creation_time asc", "`name` ASC".
export function parseOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return (orderBy ?? []).map((raw) => {
    const parts = raw.trim().replace(/`/g, "").split(/\s+/);
    if (parts.length > 2 || !parts[0]) throw bad(`Invalid order_by clause '${raw}'. Could not be parsed.`);
    const dir = parts[1]?.toLowerCase();
    if (dir !== undefined && dir !== "asc" && dir !== "desc") throw bad(`Invalid ordering key in order_by clause '${raw}'.`);
    const id = identifier(parts[0]!, ATTRS);
    if (id.type !== "attribute") throw bad(`Invalid order_by entity: ${id.type} (in '${raw}'); order by name, experiment_id, creation_time or last_update_time`);
    return { key: id.key as OrderTerm["key"], asc: dir !== "desc" };
  });
}
