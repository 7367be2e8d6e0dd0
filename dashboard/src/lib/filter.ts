// The runs table's filter box → the API's query: `status:running`,
// `tag:baseline`, `config.lr>=0.01`, `summary.loss.min<0.3`, `name~glad`;
// a bare word searches names. Space separates terms; all must match.
export type RunQuery = { status: string[]; tag: string[]; filter: string[] };

const COND = /^(name|config\.[^<>=!~\s]+|summary\.[^<>=!~\s]+)(<=|>=|!=|=|<|>|~)(.+)$/;
const STATUSES = new Set(["running", "finished", "failed", "killed", "crashed"]);

export function parseFilter(text: string): RunQuery & { errors: string[] } {
  const out: RunQuery & { errors: string[] } = { status: [], tag: [], filter: [], errors: [] };
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    const lower = tok.toLowerCase();
    if (lower.startsWith("status:")) {
      for (const s of lower.slice(7).split(",").filter(Boolean)) {
        if (STATUSES.has(s)) out.status.push(s);
        else out.errors.push(`unknown status "${s}"`);
      }
    } else if (lower.startsWith("tag:")) {
      if (tok.length > 4) out.tag.push(tok.slice(4));
    } else if (COND.test(tok)) {
      const m = COND.exec(tok)!;
      if (m[1]!.startsWith("summary.") && !/\.(last|min|max)$/.test(m[1]!)) out.filter.push(`${m[1]}.last${m[2]}${m[3]}`);
      else out.filter.push(tok);
    } else out.filter.push(`name~${tok}`);
  }
  return out;
}

// A column id is also its sort key: name, status, created_at, config.<k>, summary.<k>.<agg>.
export const SORTABLE = (col: string) => ["name", "status", "created_at"].includes(col) || col.startsWith("config.") || col.startsWith("summary.");
