import { invalidParam } from "../lib/errors";
import type { SearchClause, SearchEntity, SearchOp, SearchOrder } from "../../../services/run-search";

// MLflow's search grammar (mlflow/utils/search_utils.py, SearchUtils), read
// into structured clauses that services/run-search.ts turns into SQL. User
// text never reaches SQL: keys and values become bound parameters there.
//
//   filter   := clause (AND clause)*
//   clause   := ident op value | ident IS [NOT] NULL
//   ident    := [entity "."] key     entity: metric(s), param(s)/parameter(s), tag(s), attribute(s)/attr/run
//   key      := word(.word)* | `quoted` | "quoted"      word: letters, digits, _ (and / : - inside)
//   value    := 'text' | "text" | number | ( 'a', 'b', ... )

const ENTITIES: Record<string, SearchEntity> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
};

// RunInfo's searchable attributes and the aliases MLflow accepts for them.
const ATTRIBUTE_ALIASES: Record<string, string> = { created: "start_time", Created: "start_time", "run name": "run_name", "Run name": "run_name", "Run Name": "run_name" };
const STRING_ATTRIBUTES = new Set(["run_id", "run_name", "user_id", "status", "artifact_uri"]);
const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time"]);
const ATTRIBUTE_KEYS = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].sort();

const NUMERIC_OPS: SearchOp[] = ["=", "!=", "<", "<=", ">", ">="];
const STRING_OPS: SearchOp[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN", "IS NULL", "IS NOT NULL"];
// IN / NOT IN go further than MLflow (which takes lists for run_id only):
// any string attribute, param or tag; IS [NOT] NULL is for params and tags.
const opsFor = (entity: SearchEntity, key: string): SearchOp[] =>
  entity === "metric" || (entity === "attribute" && NUMERIC_ATTRIBUTES.has(key))
    ? NUMERIC_OPS
    : entity === "attribute"
      ? STRING_OPS.filter((o) => o !== "IS NULL" && o !== "IS NOT NULL")
      : STRING_OPS;

type Token =
  | { t: "word"; v: string }
  | { t: "quoted"; v: string; q: string }
  | { t: "number"; v: string }
  | { t: "op"; v: string }
  | { t: "punct"; v: string }
  | { t: "dot" };

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/;

function tokenize(text: string, what: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      // A doubled quote inside is the quote itself, as in SQL.
      let v = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw invalidParam(`Invalid ${what} '${text}': unterminated ${ch}-quoted text at position ${i}`);
        if (text[j] === ch) {
          if (text[j + 1] === ch) {
            v += ch;
            j += 2;
            continue;
          }
          break;
        }
        v += text[j++];
      }
      out.push({ t: "quoted", v, q: ch });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "!=" || two === "<=" || two === ">=" || two === "<>") {
      out.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if (ch === "=" || ch === "<" || ch === ">") {
      out.push({ t: "op", v: ch });
      i++;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      out.push({ t: "punct", v: ch });
      i++;
      continue;
    }
    // A number stands where a value does: first, or after an operator, '(' or ','.
    const prev = out[out.length - 1];
    const num = (!prev || prev.t === "op" || prev.t === "punct") && NUMBER.exec(text.slice(i));
    if (num) {
      out.push({ t: "number", v: num[0] });
      i += num[0].length;
      continue;
    }
    if (ch === ".") {
      out.push({ t: "dot" });
      i++;
      continue;
    }
    // Letters of any script; '/', ':' and '-' inside a word too, so common keys
    // (train/loss, val-acc) need no quotes, which MLflow's own parser would want.
    const word = /^[\p{L}\p{N}_]+(?:[/:-][\p{L}\p{N}_]+)*/u.exec(text.slice(i));
    if (!word) throw invalidParam(`Invalid ${what} '${text}': unexpected character '${ch}' at position ${i}`);
    out.push({ t: "word", v: word[0] });
    i += word[0].length;
  }
  return out;
}

class Cursor {
  i = 0;
  constructor(
    readonly tokens: Token[],
    readonly text: string,
    readonly what: string,
  ) {}
  peek = (k = 0) => this.tokens[this.i + k];
  next = () => this.tokens[this.i++];
  fail = (why: string) => invalidParam(`Invalid ${this.what} '${this.text}': ${why}`);
  keyword(word: string): boolean {
    const t = this.peek();
    if (t?.t === "word" && t.v.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }
}

// entity "." key, or a bare attribute name. A key without quotes runs over
// dots (tags.mlflow.runName) and stops at whitespace, operators and parens.
function identifier(c: Cursor, allowed: Set<string>): { entity: SearchEntity; key: string } {
  const first = c.next();
  if (!first || (first.t !== "word" && !(first.t === "quoted" && first.q !== "'"))) throw c.fail(`expected a column such as metrics.<key>, params.<key>, tags.<key> or attributes.<key>, found ${describe(first)}`);
  let entity: SearchEntity = "attribute";
  let key = first.v;
  if (c.peek()?.t === "dot") {
    const name = first.v;
    const mapped = ENTITIES[name];
    if (!mapped) throw c.fail(`invalid entity type '${name}'; valid values are metric(s), param(s), tag(s), attribute(s)`);
    entity = mapped;
    c.next();
    const k = c.next();
    if (k?.t === "quoted") key = k.v;
    else if (k?.t === "word" || k?.t === "number") {
      key = k.v;
      // Unquoted keys continue over dots and adjacent words: tags.mlflow.source.git.commit.
      while (c.peek()?.t === "dot" && (c.peek(1)?.t === "word" || c.peek(1)?.t === "number")) {
        c.next();
        key += "." + (c.next() as { v: string }).v;
      }
    } else throw c.fail(`expected a key after '${name}.'`);
  }
  if (key === "") throw c.fail("a key must not be empty");
  if (entity === "attribute") {
    key = ATTRIBUTE_ALIASES[key] ?? key;
    if (!allowed.has(key)) throw c.fail(`invalid attribute key '${key}'; valid keys are ${ATTRIBUTE_KEYS.join(", ")}`);
  }
  return { entity, key };
}

function describe(t: Token | undefined): string {
  if (!t) return "the end of the text";
  if (t.t === "dot") return "'.'";
  if (t.t === "quoted") return `${t.q}${t.v}${t.q}`;
  return `'${t.v}'`;
}

function operator(c: Cursor): SearchOp {
  const t = c.next();
  if (t?.t === "op") {
    if (t.v === "<>") throw c.fail("'<>' is not an operator here; use !=");
    return t.v as SearchOp;
  }
  if (t?.t === "word") {
    const w = t.v.toUpperCase();
    if (w === "LIKE" || w === "ILIKE" || w === "IN") return w;
    if (w === "NOT" && c.keyword("IN")) return "NOT IN";
    if (w === "IS") {
      const not = c.keyword("NOT");
      if (c.keyword("NULL")) return not ? "IS NOT NULL" : "IS NULL";
    }
  }
  throw c.fail(`expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL), found ${describe(t)}`);
}

function value(c: Cursor, entity: SearchEntity, key: string, op: SearchOp): SearchClause["value"] {
  if (op === "IS NULL" || op === "IS NOT NULL") return null;
  const numeric = entity === "metric" || (entity === "attribute" && NUMERIC_ATTRIBUTES.has(key));
  const t = c.next();
  if (op === "IN" || op === "NOT IN") {
    if (t?.t !== "punct" || t.v !== "(") throw c.fail(`${op} takes a parenthesized list of quoted strings, e.g. ('a', 'b')`);
    const items: string[] = [];
    for (;;) {
      const item = c.next();
      if (item?.t !== "quoted" || item.q === "`") throw c.fail(`${op} list items must be quoted strings, found ${describe(item)}`);
      items.push(item.v);
      const sep = c.next();
      if (sep?.t === "punct" && sep.v === ")") return items;
      if (sep?.t !== "punct" || sep.v !== ",") throw c.fail(`expected ',' or ')' in the ${op} list, found ${describe(sep)}`);
    }
  }
  if (numeric) {
    if (t?.t !== "number") throw c.fail(`expected a numeric value for ${entity === "metric" ? "metric" : "numeric attribute"} '${key}', found ${describe(t)}`);
    const n = Number(t.v);
    if (!Number.isFinite(n)) throw c.fail(`the number ${t.v} is out of range`);
    return n;
  }
  if (t?.t !== "quoted" || t.q === "`") throw c.fail(`expected a quoted string value for ${entity} '${key}' (e.g. 'my-value'), found ${describe(t)}`);
  return t.v;
}

const SEARCHABLE = new Set([...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES]);

export function parseFilter(text: string | undefined): SearchClause[] {
  if (!text || !text.trim()) return [];
  const c = new Cursor(tokenize(text, "filter"), text, "filter");
  const clauses: SearchClause[] = [];
  for (;;) {
    const { entity, key } = identifier(c, SEARCHABLE);
    const op = operator(c);
    if (!opsFor(entity, key).includes(op)) {
      throw c.fail(`operator '${op}' is not allowed for ${entity} '${key}'; use one of ${opsFor(entity, key).join(", ")}`);
    }
    clauses.push({ entity, key, op, value: value(c, entity, key, op) });
    if (c.peek() === undefined) return clauses;
    if (!c.keyword("AND")) {
      const t = c.peek();
      throw c.fail(t?.t === "word" && t.v.toUpperCase() === "OR" ? "only AND is supported between clauses, not OR" : `expected AND or the end, found ${describe(t)}`);
    }
  }
}

// "metrics.loss DESC", "attributes.start_time", "params.`learning rate` ASC".
export function parseOrderBy(specs: string[] | undefined): SearchOrder[] {
  const out: SearchOrder[] = [];
  const seen = new Set<string>();
  for (const spec of specs ?? []) {
    const c = new Cursor(tokenize(spec, "order_by clause"), spec, "order_by clause");
    const { entity, key } = identifier(c, SEARCHABLE);
    let asc = true;
    if (c.keyword("DESC")) asc = false;
    else c.keyword("ASC");
    if (c.peek() !== undefined) throw c.fail(`expected ASC, DESC or the end, found ${describe(c.peek())}`);
    const id = `${entity}\u0000${key}`;
    if (seen.has(id)) throw invalidParam(`\`order_by\` contains duplicate fields: ${JSON.stringify(specs)}`);
    seen.add(id);
    out.push({ entity, key, asc });
  }
  return out;
}
