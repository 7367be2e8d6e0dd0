import { sql, type SQL } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

// MLflow's search filter for the registry and logged models: clauses joined by
// AND, each `<key> <comparator> <value>`, e.g. `name ILIKE '%bert%' AND
// tags.`stage.env` = 'prod'`. Keys may be quoted with backticks or double
// quotes; values are quoted strings, numbers, or a parenthesised list for IN.
export type Clause = {
  kind: "attribute" | "tag" | "param" | "metric";
  key: string;
  comparator: string;
  value: string | number | string[];
};

const bad = (msg: string) => new ApiError("invalid_argument", msg);

const COMPARATORS = ["!=", "<=", ">=", "=", "<", ">"];

export function parseFilter(filter: string | undefined): Clause[] {
  const text = (filter ?? "").trim();
  if (!text) return [];
  const out: Clause[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const quoted = (q: string): string => {
    const end = text.indexOf(q, i + 1);
    if (end < 0) throw bad(`Invalid filter '${text}': unterminated quote at position ${i}`);
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const word = () => {
    const m = /^[\w.\-]+/.exec(text.slice(i));
    if (!m) throw bad(`Invalid filter '${text}': expected a key at position ${i}`);
    i += m[0].length;
    return m[0];
  };
  for (;;) {
    ws();
    // Key: `tags.x`, tags.`x y`, `name`, attributes.name, "name".
    let ident = text[i] === "`" || text[i] === '"' ? quoted(text[i]!) : word();
    if (text[i] === "`" || text[i] === '"') ident += quoted(text[i]!);
    const dot = ident.indexOf(".");
    const prefix = dot > 0 ? ident.slice(0, dot).toLowerCase() : "";
    const kinds: Record<string, Clause["kind"]> = { tags: "tag", tag: "tag", params: "param", param: "param", metrics: "metric", metric: "metric" };
    let kind: Clause["kind"] = "attribute";
    let key = ident;
    const k = kinds[prefix];
    if (k) [kind, key] = [k, ident.slice(dot + 1)];
    else if (prefix === "attributes" || prefix === "attribute") key = ident.slice(dot + 1);
    if (!key) throw bad(`Invalid filter '${text}': empty key`);
    ws();
    const rest = text.slice(i);
    let comparator = COMPARATORS.find((c) => rest.startsWith(c));
    if (comparator) i += comparator.length;
    else {
      const m = /^(NOT\s+IN|ILIKE|LIKE|IN)\b/i.exec(rest);
      if (!m) throw bad(`Invalid filter '${text}': expected a comparator after '${ident}'`);
      comparator = m[1]!.toUpperCase().replace(/\s+/, " ");
      i += m[0].length;
    }
    ws();
    let value: Clause["value"];
    if (text[i] === "'" || text[i] === '"') value = quoted(text[i]!);
    else if (text[i] === "(") {
      i++;
      const items: string[] = [];
      for (;;) {
        ws();
        if (text[i] !== "'" && text[i] !== '"') throw bad(`Invalid filter '${text}': IN lists hold quoted strings`);
        items.push(quoted(text[i]!));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === ")") {
          i++;
          break;
        } else throw bad(`Invalid filter '${text}': expected ',' or ')' at position ${i}`);
      }
      value = items;
    } else {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m) throw bad(`Invalid filter '${text}': expected a quoted string or a number at position ${i}`);
      value = Number(m[0]);
      i += m[0].length;
    }
    if ((comparator === "IN" || comparator === "NOT IN") !== Array.isArray(value)) {
      throw bad(`Invalid filter '${text}': ${comparator} takes ${Array.isArray(value) ? "a single value" : "a parenthesised list"}`);
    }
    out.push({ kind, key, comparator, value });
    ws();
    if (i >= text.length) return out;
    const and = /^AND\b/i.exec(text.slice(i));
    if (!and) throw bad(`Invalid filter '${text}': only AND joins clauses (at position ${i})`);
    i += and[0].length;
  }
}

// One comparison of a text expression against the clause's value, or a 400
// naming what the key does not support.
export function textCondition(expr: SQL, c: Clause, what: string): SQL {
  const v = c.value;
  switch (c.comparator) {
    case "=":
    case "!=":
    case "LIKE":
    case "ILIKE":
      if (typeof v !== "string") throw bad(`Invalid filter: ${what} compares with a quoted string, got ${v}`);
      return sql`${expr} ${sql.raw(c.comparator === "!=" ? "<>" : c.comparator)} ${v}`;
    case "IN":
    case "NOT IN": {
      const list = sql.join((v as string[]).map((x) => sql`${x}`), sql`, `);
      return sql`${expr} ${sql.raw(c.comparator)} (${list})`;
    }
    default:
      throw bad(`Invalid comparator '${c.comparator}' for ${what}; use =, !=, LIKE, ILIKE, IN or NOT IN`);
  }
}

export function numberCondition(expr: SQL, c: Clause, what: string): SQL {
  const v = typeof c.value === "string" && /^-?\d+(\.\d+)?$/.test(c.value) ? Number(c.value) : c.value;
  if (typeof v !== "number" || !["=", "!=", "<", "<=", ">", ">="].includes(c.comparator)) {
    throw bad(`Invalid filter on ${what}: it compares with a number using =, !=, <, <=, > or >=`);
  }
  return sql`${expr} ${sql.raw(c.comparator === "!=" ? "<>" : c.comparator)} ${v}`;
}

// order_by entries: "<key> [ASC|DESC]".
export function parseOrderBy(entries: string[] | undefined, keys: Record<string, SQL>): { sql: SQL; key: string }[] {
  const seen = new Set<string>();
  return (entries ?? []).map((entry) => {
    const m = /^\s*(?:attributes\.)?`?([\w.]+)`?\s*(ASC|DESC)?\s*$/i.exec(entry);
    const col = m && keys[m[1]!.toLowerCase()];
    if (!m || !col) throw bad(`Invalid order by key '${entry}' specified. Valid keys are ${Object.keys(keys).join(", ")}`);
    const key = m[1]!.toLowerCase();
    if (seen.has(key)) throw bad(`\`order_by\` contains duplicate fields: ${entries!.join(", ")}`);
    seen.add(key);
    return { key, sql: m[2]?.toUpperCase() === "DESC" ? sql`${col} desc` : sql`${col} asc` };
  });
}

// Page tokens are opaque to clients: an offset, base64-encoded.
export const encodeToken = (offset: number) => btoa(JSON.stringify({ offset }));

export function decodeToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(atob(token));
    if (Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the 400 below
  }
  throw bad(`Invalid page token '${token}'`);
}

// MLflow's clients add `tag.`mlflow.prompt.is_prompt` != 'true'` to every
// registry search, to leave prompts out; MLflow's server reads that clause as
// "not a prompt", so models without the tag match it. Other tag clauses need
// the tag to be present (the tag's value is NULL otherwise, and never matches).
const PROMPT_TAG = "mlflow.prompt.is_prompt";

export function tagCondition(tags: SQL, c: Clause): SQL {
  const value = sql`${tags} ->> ${c.key}::text`;
  if (c.key === PROMPT_TAG && c.comparator === "!=" && typeof c.value === "string") return sql`${value} is distinct from ${c.value}`;
  return textCondition(value, c, `tag '${c.key}'`);
}
