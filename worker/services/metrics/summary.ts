import type { MetricSummary } from "../../../schema";

export type JsonValue = number | "NaN" | "Infinity" | "-Infinity";

// JSON cannot carry non-finite numbers; the API spells them as strings.
export function toJsonValue(v: number): JsonValue {
  if (Number.isFinite(v)) return v;
  if (v !== v) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

export const toJsonOrNull = (v: number | null): JsonValue | null => (v === null ? null : toJsonValue(v));

export function fromJsonValue(v: number | string | null): number | null {
  if (v === null) return null;
  if (typeof v === "number") return v;
  return v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : Number(v);
}

export type Agg = { count: number; min: number | null; max: number | null; last: number; step: number };

export const summaryJson = (a: Agg): MetricSummary => ({
  last: toJsonValue(a.last),
  min: toJsonOrNull(a.min),
  max: toJsonOrNull(a.max),
  step: a.step,
  count: a.count,
});

// Adding points at steps the series does not hold yet (above its highest step,
// or in a gap no chunk covers): nothing is replaced, so the old summary and
// the batch's stats combine exactly.
export function appendSummary(old: MetricSummary | undefined, add: Agg): MetricSummary {
  if (!old) return summaryJson(add);
  const oMin = fromJsonValue(old.min);
  const oMax = fromJsonValue(old.max);
  return summaryJson({
    count: old.count + add.count,
    min: oMin === null ? add.min : add.min === null ? oMin : Math.min(oMin, add.min),
    max: oMax === null ? add.max : add.max === null ? oMax : Math.max(oMax, add.max),
    last: add.step > old.step ? add.last : fromJsonValue(old.last)!,
    step: Math.max(add.step, old.step),
  });
}
