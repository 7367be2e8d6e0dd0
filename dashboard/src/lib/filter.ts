// The runs table's filter box → the API's query: `status:running`,
// `tag:baseline`, `config.lr>=0.01`, `summary.loss.min<0.3`, `name~glad`;
// a bare word searches names. Space separates terms; all must match.
// A term that names no known field, or is malformed, is left out of the query
// and reported (with a fix when one is clear), so a typo never reads as "0 runs".
export type RunQuery = { status: string[]; tag: string[]; filter: string[] };
// The project's keys as far as the page knows them (config paths, metric keys, tags).
export type KnownKeys = { config: string[]; metrics: string[]; tags: string[] };
export type FilterIssue = { term: string; message: string; fix?: string };

const COND = /^(name|config\.[^<>=!~\s]+|summary\.[^<>=!~\s]+)(<=|>=|!=|=|<|>|~)(.*)$/;
// Anything that looks like <field><op><value>, to catch fields we do not know.
const LOOKS_LIKE = /^([^<>=!~:\s]+)(:|<=|>=|!=|=|<|>|~)(.*)$/;
export const STATUSES = ["running", "finished", "failed", "crashed", "killed"];

export function parseFilter(text: string, known?: KnownKeys): RunQuery & { errors: string[]; issues: FilterIssue[] } {
  const out: RunQuery = { status: [], tag: [], filter: [] };
  const issues: FilterIssue[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    const lower = tok.toLowerCase();
    if (lower.startsWith("status:")) {
      for (const s of lower.slice(7).split(",").filter(Boolean)) {
        if (STATUSES.includes(s)) out.status.push(s);
        else issues.push({ term: tok, message: `unknown status "${s}"; use one of ${STATUSES.join(", ")}` });
      }
    } else if (lower.startsWith("tag:")) {
      if (tok.length > 4) out.tag.push(tok.slice(4));
      else issues.push({ term: tok, message: "tag: needs a tag name, e.g. tag:baseline" });
    } else if (COND.test(tok)) {
      const [, field, op, value] = COND.exec(tok)! as unknown as [string, string, string, string];
      if (value === "") {
        issues.push({ term: tok, message: `${tok} has no value after "${op}"` });
        continue;
      }
      const normal = field.startsWith("summary.") && !/\.(last|min|max)$/.test(field) ? `${field}.last${op}${value}` : tok;
      const unknown = known && unknownKey(field, known);
      if (unknown) issues.push({ term: tok, message: unknown, fix: fixFor(field.replace(/^(config|summary)\./, "").replace(/\.(last|min|max)$/, ""), op, value, known) });
      out.filter.push(normal);
    } else if (LOOKS_LIKE.test(tok)) {
      const [, field, op, value] = LOOKS_LIKE.exec(tok)! as unknown as [string, string, string, string];
      const fix = known ? fixFor(field, op === ":" ? "=" : op, value, known) : undefined;
      issues.push({ term: tok, message: `no field ${field}${fix ? `; did you mean ${fix}?` : "; use name, config.<key>, summary.<key>, tag: or status:"}`, fix });
    } else out.filter.push(`name~${tok}`);
  }
  return { ...out, issues, errors: issues.map((i) => i.message) };
}

// A config. or summary. term whose key no loaded run has: kept in the query
// (runs not loaded yet may have it) but said out loud.
function unknownKey(field: string, known: KnownKeys): string | null {
  if (field.startsWith("config.")) {
    const k = field.slice(7);
    if (!known.config.length || known.config.includes(k) || known.config.some((c) => c.startsWith(`${k}.`))) return null;
    return `no run here has config.${k}`;
  }
  if (field.startsWith("summary.")) {
    const k = field.slice(8).replace(/\.(last|min|max)$/, "");
    if (!known.metrics.length || known.metrics.includes(k)) return null;
    return `no run here has a metric ${k}`;
  }
  return null;
}

// `optimizer:adam` → config.optimizer=adam; `loss<0.3` → summary.loss<0.3.
function fixFor(field: string, op: string, value: string, known: KnownKeys): string | undefined {
  const f = field.toLowerCase();
  const pick = (keys: string[]) => keys.find((k) => k.toLowerCase() === f) ?? keys.find((k) => k.toLowerCase().endsWith(`.${f}`) || k.toLowerCase().endsWith(`/${f}`));
  const c = pick(known.config);
  if (c) return `config.${c}${op}${value}`;
  const m = pick(known.metrics);
  if (m) return `summary.${m}${op}${value}`;
  if (f === "tag" || f === "tags") return `tag:${value}`;
  if (f === "status" || f === "state") return `status:${value}`;
  return undefined;
}

// Completions for the term being typed (the text after the last space).
export function suggestTerms(term: string, known: KnownKeys, max = 8): string[] {
  const t = term.toLowerCase();
  if (/(<=|>=|!=|=|<|>|~)/.test(t.replace(/^status:|^tag:/, "")) && !t.startsWith("status:") && !t.startsWith("tag:")) return [];
  const all = [
    ...known.config.map((k) => `config.${k}`),
    ...known.metrics.map((k) => `summary.${k}`),
    ...STATUSES.map((s) => `status:${s}`),
    ...known.tags.map((x) => `tag:${x}`),
    "name~",
  ];
  if (!t) return all.slice(0, max);
  const starts = all.filter((s) => s.toLowerCase().startsWith(t) && s.toLowerCase() !== t);
  // "opt" also finds config.optimizer, "loss" summary.loss.
  const inside = all.filter((s) => !starts.includes(s) && s.toLowerCase().replace(/^(config\.|summary\.|status:|tag:)/, "").startsWith(t));
  return [...starts, ...inside].slice(0, max);
}

// A column id is also its sort key: name, status, created_at, config.<k>, summary.<k>.<agg>.
export const SORTABLE = (col: string) => ["name", "status", "created_at"].includes(col) || col.startsWith("config.") || col.startsWith("summary.");
