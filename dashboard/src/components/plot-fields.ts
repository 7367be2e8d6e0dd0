import { configAt, configKeys, fmtNum, fmtValue, num } from "../lib/format";
import type { Run } from "../lib/types";

// The fields the run plots draw: every config leaf (`config.lr`) and every
// metric's last value (`summary.loss`), named as the runs filter names them.
// A field is numeric when every value it has is a finite number, else
// categorical (strings, booleans, mixed). Positions are fractions of an axis
// (0 = bottom/left, 1 = top/right), so brushes are kept in those units and
// one test decides "inside" for the parallel coordinates and the scatter plot.
export type Field = {
  id: string;
  key: string;
  source: "config" | "summary";
  label: string;
  kind: "num" | "cat";
  lo: number;
  hi: number;
  cats: string[];
  logOk: boolean; // every value is > 0
  lrLike: boolean; // spans a decade or more and is named like a rate: log by default
  varies: boolean;
  value: (r: Run) => unknown;
};

export type Range = [number, number];

const RATE = /(^|[._/-])(lr|learning[._-]?rate|eps|epsilon|weight[._-]?decay|wd|alpha|beta|lambda|l2|reg|temperature)$/i;
const catSort = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

// A summary value set by hand (summary_overrides) wins over the metric's last value.
function summaryValue(r: Run, key: string): unknown {
  if (r.summary_overrides && Object.hasOwn(r.summary_overrides, key)) return r.summary_overrides[key] ?? undefined;
  const s = r.summary?.[key];
  if (!s) return undefined;
  const v = num(s.last);
  return Number.isFinite(v) ? v : undefined;
}

// A key only set by hand is its own value, not a metric's "last".
const overrideOnly = (runs: Run[], key: string) => runs.some((r) => r.summary_overrides && Object.hasOwn(r.summary_overrides, key) && !r.summary?.[key]);

export function buildFields(runs: Run[]): Field[] {
  const ckeys = new Set<string>();
  const skeys = new Set<string>();
  for (const r of runs) {
    configKeys(r.config, "", ckeys);
    for (const k of Object.keys(r.summary ?? {})) skeys.add(k);
    for (const k of Object.keys(r.summary_overrides ?? {})) skeys.add(k);
  }
  const make = (source: Field["source"], key: string): Field => {
    const value = source === "config" ? (r: Run) => configAt(r.config, key) : (r: Run) => summaryValue(r, key);
    const vals = runs.map(value).filter((v) => v !== undefined && v !== null);
    const nums = vals.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    const isNum = nums.length > 0 && nums.length === vals.length;
    let lo = Infinity;
    let hi = -Infinity;
    for (const n of nums) (lo = Math.min(lo, n)), (hi = Math.max(hi, n));
    const cats = isNum ? [] : [...new Set(vals.map(fmtValue))].sort(catSort);
    const logOk = isNum && lo > 0;
    return {
      id: `${source}.${key}`,
      key,
      source,
      label: source === "config" || overrideOnly(runs, key) ? key : `${key} (last)`,
      kind: isNum ? "num" : "cat",
      lo,
      hi,
      cats,
      logOk,
      lrLike: logOk && hi / lo >= 10 && RATE.test(key),
      varies: isNum ? hi > lo || nums.length < runs.length : cats.length > 1 || vals.length < runs.length,
      value,
    };
  };
  return [...[...ckeys].sort().map((k) => make("config", k)), ...[...skeys].sort().map((k) => make("summary", k))];
}

// Config keys that vary and the first metric (not a system one), as W&B does.
export function defaultAxes(fields: Field[]): string[] {
  const cfg = fields.filter((f) => f.source === "config" && f.varies).slice(0, 8);
  const metrics = fields.filter((f) => f.source === "summary");
  const metric = metrics.find((f) => /loss/i.test(f.key) && !f.key.startsWith("system/")) ?? metrics.find((f) => !f.key.startsWith("system/")) ?? metrics[0];
  const out = cfg.map((f) => f.id);
  if (out.length === 0) out.push(...fields.filter((f) => f.source === "config").slice(0, 2).map((f) => f.id));
  if (metric) out.push(metric.id);
  return out;
}

export const defaultLog = (fields: Field[]) => new Set(fields.filter((f) => f.lrLike).map((f) => f.id));

// Position of one value on a field's axis, in [0, 1], or NaN when missing.
export function position(f: Field, v: unknown, log: boolean): number {
  if (v === undefined || v === null) return NaN;
  if (f.kind === "cat") {
    const i = f.cats.indexOf(fmtValue(v));
    if (i < 0) return NaN;
    return f.cats.length === 1 ? 0.5 : i / (f.cats.length - 1);
  }
  if (typeof v !== "number" || !Number.isFinite(v)) return NaN;
  if (f.hi === f.lo) return 0.5;
  if (log && f.logOk) return (Math.log(v) - Math.log(f.lo)) / (Math.log(f.hi) - Math.log(f.lo));
  return (v - f.lo) / (f.hi - f.lo);
}

// The value at a position (numeric fields), for brush bounds.
export function valueAt(f: Field, t: number, log: boolean): number {
  if (f.hi === f.lo) return f.lo;
  if (log && f.logOk) return Math.exp(Math.log(f.lo) + t * (Math.log(f.hi) - Math.log(f.lo)));
  return f.lo + t * (f.hi - f.lo);
}

// What a brush covers, in words: "0.001 – 0.03" or "adam, sgd".
export function describeRange(f: Field, r: Range, log: boolean): string {
  if (f.kind === "num") return `${fmtNum(valueAt(f, r[0], log))} – ${fmtNum(valueAt(f, r[1], log))}`;
  const inside = f.cats.filter((c) => {
    const t = position(f, c, log);
    return t >= r[0] && t <= r[1];
  });
  return inside.length ? inside.join(", ") : "nothing";
}

export function ticks(f: Field, log: boolean): { t: number; label: string }[] {
  if (f.kind === "cat") {
    const every = Math.max(1, Math.ceil(f.cats.length / 10));
    return f.cats.filter((_, i) => i % every === 0).map((c) => ({ t: position(f, c, log), label: c.length > 12 ? `${c.slice(0, 11)}…` : c }));
  }
  if (!Number.isFinite(f.lo)) return [];
  if (f.hi === f.lo) return [{ t: 0.5, label: fmtNum(f.lo) }];
  if (log && f.logOk) {
    const out: { t: number; label: string }[] = [];
    for (let e = Math.ceil(Math.log10(f.lo)); e <= Math.floor(Math.log10(f.hi)); e++) out.push({ t: position(f, 10 ** e, true), label: e < -3 || e > 5 ? `1e${e}` : fmtNum(10 ** e) });
    if (out.length < 2) return [f.lo, f.hi].map((v) => ({ t: position(f, v, true), label: fmtNum(v) }));
    return out;
  }
  // Round steps (1, 2 or 5 × 10^k), about five of them.
  const raw = (f.hi - f.lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: { t: number; label: string }[] = [];
  for (let k = Math.ceil(f.lo / step - 1e-9); k * step <= f.hi + step * 1e-9 && out.length < 12; k++) {
    const v = Number((k * step).toPrecision(12));
    out.push({ t: position(f, v, false), label: fmtNum(v) });
  }
  return out;
}

// positions[field][run] for the fields in view; NaN where a run has no value.
export function positions(runs: Run[], fields: Field[], logs: Set<string>): Float64Array[] {
  return fields.map((f) => {
    const log = logs.has(f.id);
    const out = new Float64Array(runs.length);
    runs.forEach((r, i) => (out[i] = position(f, f.value(r), log)));
    return out;
  });
}

export const within = (t: number, r: Range) => t >= r[0] - 1e-9 && t <= r[1] + 1e-9;
