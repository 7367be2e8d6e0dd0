import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

// One code → status table for the whole API.
export const errorStatus = {
  invalid_argument: 400,
  unauthenticated: 401,
  quota_exceeded: 402,
  permission_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  // Top-level fields of the error object (a quota refusal's limit, used, plan).
  fields?: Record<string, unknown>;
  // Seconds for the Retry-After header (429s).
  retryAfter?: number;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(errorStatus[code], { message });
    this.code = code;
    this.details = details;
  }
}

export type ErrorBody = {
  error: { code: ErrorCode; message: string; request_id: string; details?: Record<string, unknown>; [field: string]: unknown };
};

export function errorBody(err: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      ...err.fields,
      code: err.code,
      message: err.message,
      request_id: requestId,
      ...(err.details ? { details: err.details } : {}),
    },
  };
}

export const notFound = (what: string) => new ApiError("not_found", `${what} not found`);

// Turns a zod issue list into one message that names the offending field.
export function describeIssues(issues: { path: PropertyKey[]; message: string }[], where: string): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const field = i.path.map(String).join(".");
      return field ? `${field}: ${i.message}` : `${where}: ${i.message}`;
    })
    .join("; ");
}
