import { configAt, configKeys } from "./format";
import type { Run } from "./types";

// Selected runs as a file of their config and summary, one row per run.
// CSV columns: id, name, status, created_at, tags, config.<path>…, summary.<key>.<last|min|max>…
export function runsCsv(runs: Run[]): string {
  const c = new Set<string>();
  const m = new Set<string>();
  for (const r of runs) {
    configKeys(r.config, "", c);
    for (const k of Object.keys(r.summary ?? {})) m.add(k);
  }
  const cKeys = [...c].sort();
  const mKeys = [...m].sort();
  const head = ["id", "name", "status", "created_at", "tags", ...cKeys.map((k) => `config.${k}`), ...mKeys.flatMap((k) => ["last", "min", "max"].map((a) => `summary.${k}.${a}`))];
  const lines = [head.map(csvCell).join(",")];
  for (const r of runs) {
    const cells: unknown[] = [r.id, r.name, r.status, r.created_at, r.tags.join(" "), ...cKeys.map((k) => configAt(r.config, k))];
    for (const k of mKeys) for (const a of ["last", "min", "max"] as const) cells.push(r.summary?.[k]?.[a]);
    lines.push(cells.map(csvCell).join(","));
  }
  return lines.join("\n") + "\n";
}

export function runsJsonl(runs: Run[]): string {
  return runs.map((r) => JSON.stringify({ id: r.id, name: r.name, status: r.status, created_at: r.created_at, tags: r.tags, config: r.config, summary: r.summary })).join("\n") + "\n";
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  // Quote what CSV needs quoted; a leading =+-@ is quoted and prefixed so a
  // spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// A whole run's metrics: the API's export route streams every point.
export const runMetricsHref = (runId: string, format: "csv" | "jsonl") => `/api/v1/runs/${encodeURIComponent(runId)}/export?format=${format}`;
