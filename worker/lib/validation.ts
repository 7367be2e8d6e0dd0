import { z } from "@hono/zod-openapi";

// Text a person typed: no control characters (Postgres rejects NUL outright),
// no unpaired surrogates, NFC-normalised so look-alike names compare equal.
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
