import type { Num } from "./types";

// Metric values arrive as numbers or the strings "NaN", "Infinity", "-Infinity".
export function num(v: Num | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === "number") return v;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return NaN;
}

export function fmtNum(v: Num | null | undefined | unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v !== "number") return fmtValue(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

export function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return fmtNum(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(v);
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return "";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function fmtAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const d = now - Date.parse(iso);
  if (d < 5_000) return "just now";
  if (d < 60_000) return `${Math.floor(d / 1000)}s ago`;
  if (d < 3_600_000) return `${Math.floor(d / 60_000)}m ago`;
  if (d < 86_400_000) return `${Math.floor(d / 3_600_000)}h ago`;
  return new Date(iso).toLocaleDateString();
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.toLocaleDateString()} ${d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
}

// A dotted path into nested config, as the API's `config.<key>` filter reads it.
// A key that itself holds dots (MLflow params like "optimizer.lr" are flat)
// is found too: the rest of the path is tried as one key before descending.
export function configAt(config: Record<string, unknown> | null | undefined, path: string): unknown {
  let cur: unknown = config;
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i++) {
    if (cur === null || typeof cur !== "object") return undefined;
    const obj = cur as Record<string, unknown>;
    const rest = parts.slice(i).join(".");
    if (i < parts.length - 1 && Object.hasOwn(obj, rest)) return obj[rest];
    cur = obj[parts[i]!];
  }
  return cur;
}

// Every leaf key of a nested config, dotted, for column pickers and diffs.
export function configKeys(config: Record<string, unknown> | null | undefined, prefix = "", out = new Set<string>()): Set<string> {
  if (!config) return out;
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) configKeys(v as Record<string, unknown>, key, out);
    else out.add(key);
  }
  return out;
}

export const PALETTE = ["#2f6fde", "#e4572e", "#17a589", "#a05cc8", "#e8a317", "#d6336c", "#4a9bd6", "#6b8e23", "#8c564b", "#7f7f7f"];
export const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;
