import { z } from "@hono/zod-openapi";
import { ApiError } from "./errors";

// Text a person typed: no control characters (Postgres rejects NUL outright),
// no unpaired surrogates, NFC-normalised so look-alike names compare equal.
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Where a string holds an unpaired UTF-16 surrogate, or -1. Such a string has
// no UTF-8 form: the driver would store U+FFFD in its place without a word.
export const loneSurrogateAt = (s: string) => s.search(loneSurrogate);

export function text(max: number, min = 1) {
  return z
    .string()
    .refine((s) => !controlChars.test(s), "must not contain control characters")
    .refine((s) => !loneSurrogate.test(s), "must be valid Unicode (unpaired surrogate)")
    .trim()
    .normalize("NFC")
    .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);
}

export const email = z
  .string()
  .max(254, "must be at most 254 characters")
  .trim()
  .toLowerCase()
  .pipe(z.email("must be a valid email address"))
  .openapi({ example: "ada@example.com" });

export const password = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(256, "must be at most 256 characters")
  .refine((s) => !loneSurrogate.test(s) && !s.includes("\u0000"), "contains invalid characters");

// Names used in URLs and by SDKs: project names, artifact names.
export const slugName = z
  .string()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' and '-', starting with a letter or digit")
  .refine((s) => !/^[a-z]+_[0-9A-Za-z]{20}$/.test(s), "must not look like an id");

export const timestamp = z.string().openapi({ format: "date-time" });

// Free-form JSON (run config and system info, artifact metadata) is capped in
// depth and size before anything is written. jsonb refuses NUL and unpaired
// surrogates (a 500 if they got that far); deep documents make Postgres
// recurse until it gives up (SQLSTATE 54001) and JSON.stringify throw
// RangeError after the row is stored, so a retry would store it twice.
export const MAX_JSON_DEPTH = 10;
export const MAX_JSON_BYTES = 64 * 1024;

type JsonProblem = { path: (string | number)[]; message: string };

// Stops at the first problem and never descends past MAX_JSON_DEPTH, so a
// 20,000-deep value costs ten steps, not a stack overflow.
function jsonProblem(value: unknown, path: (string | number)[], depth: number): JsonProblem | null {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return { path, message: "must not contain NUL (\\u0000)" };
    if (loneSurrogate.test(value)) return { path, message: "must be valid Unicode (unpaired surrogate)" };
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  if (depth > MAX_JSON_DEPTH) return { path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof k === "string" && (k.includes("\u0000") || loneSurrogate.test(k))) {
      return { path: [...path, k.replace(/\u0000/g, "\\u0000")], message: "key must not contain NUL or unpaired surrogates" };
    }
    const p = jsonProblem(v, [...path, k], depth + 1);
    if (p) return p;
  }
  return null;
}

// The one check behind every free-form JSON field: null when the object may be
// stored, else where it fails and why. Services call it too, so a door that
// skips the route schema (an adapter, a script) cannot store what routes refuse.
export function checkJsonObject(obj: Record<string, unknown>, maxBytes = MAX_JSON_BYTES): JsonProblem | null {
  const problem = jsonProblem(obj, [], 1);
  if (problem) return problem;
  const bytes = new TextEncoder().encode(JSON.stringify(obj)).length;
  if (bytes > maxBytes) return { path: [], message: `must be at most ${maxBytes} bytes as JSON (got ${bytes})` };
  return null;
}

export function assertJsonObject(field: string, obj: Record<string, unknown>, maxBytes = MAX_JSON_BYTES) {
  const p = checkJsonObject(obj, maxBytes);
  if (p) throw new ApiError("invalid_argument", `${[field, ...p.path].join(".")}: ${p.message}`);
}

export const jsonObject = (maxBytes = MAX_JSON_BYTES) =>
  z.record(z.string(), z.unknown()).superRefine((obj, ctx) => {
    const p = checkJsonObject(obj, maxBytes);
    if (p) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
  });
