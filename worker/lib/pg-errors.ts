import { ApiError } from "./errors";

// Postgres refuses some input only when it is stored (NUL bytes, bad
// encodings, out-of-range numbers): those are the caller's mistake, so they
// become 4xx here instead of escaping as a 500, whichever route hit them.
export function fromPostgresError(err: unknown): ApiError | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return mapCode(code);
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function mapCode(code: string): ApiError | null {
  if (code === "23505") return new ApiError("conflict", "a resource with these unique fields already exists");
  if (code === "23503") return new ApiError("not_found", "a referenced resource does not exist");
  if (code === "40001" || code === "40P01") return new ApiError("unavailable", "the request conflicted with another; retry it");
  if (code === "54000") return new ApiError("payload_too_large", "a value is too large to store");
  // Class 54, program limit exceeded: 54001 is a value nested too deeply for
  // the server's stack (a deep JSON document), 54011/54023 too many columns or
  // arguments. The request is what is too complex; retrying it cannot help.
  if (code.startsWith("54")) return new ApiError("invalid_argument", "a value in the request is too deeply nested or complex to store");
  // Class 22: data exceptions (invalid text, numeric out of range, bad JSON values...).
  if (code.startsWith("22")) return new ApiError("invalid_argument", "a value in the request cannot be stored (invalid characters or out of range)");
  return null;
}
