import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../lib/errors";
import { loneSurrogateAt } from "../../../lib/validation";
import type { LoggedPoint } from "../../../services/metrics/parse";
import type { Param } from "../../../services/run-params";
import type { Tag } from "../../../services/run-tags";
import { invalidParam } from "../lib/errors";
import { int64 } from "../lib/request";

// MLflow's limits and key rules (mlflow/utils/validation.py), with its
// messages, so a client's error reads as it would against MLflow's server.
// One difference: values over a length limit are refused, never truncated.

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VAL_LENGTH = 6000;
export const MAX_TAG_VAL_LENGTH = 8000;
// Sightline's metric store keeps steps in 0…2^53-1 (MLflow allows negative steps).
const MAX_STEP = 2 ** 53 - 1;
const MAX_TIME = 2 ** 52;

// Python's \w is Unicode letters and digits plus '_'; MLflow adds / . - space and colon.
const NAME_RE = /^[\p{L}\p{N}_/. :-]*$/u;
const BAD_CHARS =
  "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).";

const chars = (s: string) => [...s].length;

// POSIX normpath, enough to say what a name would resolve to as a file path.
function normpath(p: string): string {
  if (p === "") return ".";
  const lead = p.startsWith("//") && !p.startsWith("///") ? "//" : p.startsWith("/") ? "/" : "";
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!lead && out.length === 0) || out[out.length - 1] === "..") out.push(part);
    else out.pop();
  }
  return lead + out.join("/") || ".";
}

const invalidValue = (path: string, value: unknown, message: string) =>
  invalidParam(`Invalid value ${JSON.stringify(value)} for parameter '${path}' supplied: ${message}`);

const tooLong = (what: string, limit: number) => invalidParam(`'${what}' exceeds the maximum length of ${limit} characters`);

// A param, metric or tag key: MLflow's characters, and no name that a file
// system would read as another (".", "a//b", "../x", "/abs").
export function checkKey(key: string, path: string, lengthName: string) {
  if (!NAME_RE.test(key)) throw invalidValue(path, key, BAD_CHARS);
  const norm = normpath(key);
  if (norm !== key || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw invalidValue(
      path,
      key,
      `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`,
    );
  }
  if (chars(key) > MAX_ENTITY_KEY_LENGTH) throw tooLong(lengthName, MAX_ENTITY_KEY_LENGTH);
}

const missing = (path: string) =>
  invalidParam(`Missing value for required parameter '${path}'. See the API docs for more information about request parameters.`);

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

// Postgres stores no NUL, and a string with an unpaired surrogate has no UTF-8
// form (the driver would store U+FFFD instead): refused here, naming the field.
export function storable(value: string, path: string): string {
  if (value.includes("\u0000")) throw invalidParam(`'${path}' must not contain NUL characters`);
  if (loneSurrogateAt(value) >= 0) throw invalidParam(`'${path}' must be valid Unicode (it holds an unpaired surrogate)`);
  return value;
}

export function checkParam(p: { key?: string; value?: string }, prefix = ""): Param {
  if (!p.key) throw missing(at(prefix, "key"));
  checkKey(p.key, at(prefix, "key"), "Param key");
  const value = storable(p.value ?? "", at(prefix, "value"));
  if (chars(value) > MAX_PARAM_VAL_LENGTH) throw tooLong("Param value", MAX_PARAM_VAL_LENGTH);
  return { key: p.key, value };
}

export function checkTag(t: { key?: string; value?: string }, prefix = ""): Tag {
  if (!t.key) throw missing(at(prefix, "key"));
  checkKey(t.key, at(prefix, "key"), at(prefix, "key"));
  const value = storable(t.value ?? "", at(prefix, "value"));
  if (chars(value) > MAX_TAG_VAL_LENGTH) throw tooLong(at(prefix, "value"), MAX_TAG_VAL_LENGTH);
  return { key: t.key, value };
}

// Protobuf's JSON form of a double: a number, or "NaN", "Infinity", "-Infinity"
// (kept exact: MLflow's own server clamps the infinities), or a numeric string.
export const metricValue = z.union([z.number(), z.string()]).openapi({ type: "number", description: 'A number, or "NaN", "Infinity", "-Infinity"' });

function toDouble(v: number | string | undefined, path: string): number {
  if (v === undefined) throw missing(path);
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  const n = v.trim() === "" ? NaN : Number(v);
  if (!Number.isFinite(n)) throw invalidValue(path, v, "Please specify value as a valid double (64-bit floating point)");
  return n;
}

export const metricFields = {
  key: z.string().optional(),
  value: metricValue.optional(),
  timestamp: int64.optional(),
  step: int64.optional(),
};

export function checkMetric(m: { key?: string; value?: number | string; timestamp?: number; step?: number }, prefix = ""): LoggedPoint {
  if (!m.key) throw missing(at(prefix, "key"));
  checkKey(m.key, at(prefix, "name"), "Metric name");
  return checkMetricValues(m as typeof m & { key: string }, prefix);
}

// Value, timestamp and step of a metric whose key is already checked.
function checkMetricValues(m: { key: string; value?: number | string; timestamp?: number; step?: number }, prefix: string): LoggedPoint {
  const value = toDouble(m.value, at(prefix, "value"));
  if (m.timestamp === undefined) throw missing(at(prefix, "timestamp"));
  if (m.timestamp < 0 || m.timestamp > MAX_TIME) {
    throw invalidValue(at(prefix, "timestamp"), m.timestamp, `metric '${m.key}'. Timestamp must be a nonnegative long (64-bit integer) `);
  }
  const step = m.step ?? 0;
  if (step < 0 || step > MAX_STEP) {
    throw invalidValue(at(prefix, "step"), step, `metric '${m.key}'. Sightline keeps steps from 0 to 2^53-1; log this metric at a step ≥ 0`);
  }
  return { key: m.key, value, timestamp: m.timestamp, step };
}

// log-batch's metrics, checked by hand rather than by a zod object per
// element: 1,000 of them a request is the MLflow door's hot path (zod cost
// ≈ 0.9 µs a point, a quarter of the route's CPU). Same rules as checkMetric;
// a key seen earlier in the batch is not checked again.
export function checkRawMetrics(raw: unknown[]): LoggedPoint[] {
  const seen = new Set<string>();
  const out: LoggedPoint[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const prefix = `metrics[${i}]`;
    const m = raw[i];
    if (typeof m !== "object" || m === null || Array.isArray(m)) throw invalidParam(`${prefix}: must be an object {key, value, timestamp, step}`);
    const { key, value, timestamp, step } = m as Record<string, unknown>;
    if (key !== undefined && typeof key !== "string") throw invalidParam(`${at(prefix, "key")}: must be a string`);
    if (value !== undefined && typeof value !== "number" && typeof value !== "string") throw invalidParam(`${at(prefix, "value")}: must be a number`);
    const point = {
      key: key as string | undefined,
      value: value as number | string | undefined,
      timestamp: rawInt64(timestamp, at(prefix, "timestamp")),
      step: rawInt64(step, at(prefix, "step")),
    };
    if (point.key && seen.has(point.key)) out[i] = checkMetricValues(point as typeof point & { key: string }, prefix);
    else {
      out[i] = checkMetric(point, prefix);
      seen.add(point.key!);
    }
  }
  return out;
}

// int64 as protobuf's JSON sends it (a string) or as a number.
function rawInt64(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^-?\d{1,16}$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n)) return n;
  }
  throw invalidParam(`${path}: must be an integer within ±2^53`);
}

export function checkBatchLimits(metrics: number, params: number, tags: number) {
  const over = (what: string, limit: number, n: number) => {
    if (n > limit) {
      throw invalidParam(
        `A batch logging request can contain at most ${limit} ${what}. Got ${n} ${what}. Please split up ${what} across multiple requests and try again.`,
      );
    }
  };
  over("metrics", MAX_METRICS_PER_BATCH, metrics);
  over("params", MAX_PARAMS_TAGS_PER_BATCH, params);
  over("tags", MAX_PARAMS_TAGS_PER_BATCH, tags);
  over("metrics, params, and tags", MAX_ENTITIES_PER_BATCH, metrics + params + tags);
}

export function checkUniqueParamKeys(params: Param[]) {
  const seen = new Set<string>();
  const dupes = params.filter((p) => (seen.has(p.key) ? true : (seen.add(p.key), false))).map((p) => `'${p.key}'`);
  if (dupes.length) {
    throw new ApiError(
      "invalid_argument",
      `Duplicate parameter keys have been submitted: [${dupes.join(", ")}]. Please ensure the request contains only one param value per param key.`,
    );
  }
}

// MLflow's run statuses → Sightline's (SCHEDULED runs are running to us).
export const runStatusIn = z.enum(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]);
export const fromMlflowStatus = { RUNNING: "running", SCHEDULED: "running", FINISHED: "finished", FAILED: "failed", KILLED: "killed" } as const;
