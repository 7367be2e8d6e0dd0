import { ApiError, type ErrorCode } from "../../../lib/errors";

// MLflow's routes answer in MLflow's error format, {"error_code", "message"},
// with the status MLflow's own server gives each code (mlflow/exceptions.py).
// Services raise the native ApiError; this table translates it. A route that
// needs a code the native table lacks (INVALID_STATE, ...) throws MlflowError.

type Translation = { code: string; status: number };

const fromNative: Record<ErrorCode, Translation> = {
  invalid_argument: { code: "INVALID_PARAMETER_VALUE", status: 400 },
  unauthenticated: { code: "UNAUTHENTICATED", status: 401 },
  quota_exceeded: { code: "QUOTA_EXCEEDED", status: 402 },
  permission_denied: { code: "PERMISSION_DENIED", status: 403 },
  not_found: { code: "RESOURCE_DOES_NOT_EXIST", status: 404 },
  method_not_allowed: { code: "ENDPOINT_NOT_FOUND", status: 405 },
  // Every conflict the MLflow doors can meet is a name or key taken already.
  conflict: { code: "RESOURCE_ALREADY_EXISTS", status: 400 },
  payload_too_large: { code: "INVALID_PARAMETER_VALUE", status: 413 },
  unsupported_media_type: { code: "BAD_REQUEST", status: 415 },
  rate_limited: { code: "REQUEST_LIMIT_EXCEEDED", status: 429 },
  internal: { code: "INTERNAL_ERROR", status: 500 },
  unavailable: { code: "TEMPORARILY_UNAVAILABLE", status: 503 },
};

// An MLflow error code with no native counterpart, and its MLflow status.
export class MlflowError extends ApiError {
  readonly mlflowCode: string;
  readonly mlflowStatus: number;

  constructor(mlflowCode: string, message: string, status = 400, nativeCode: ErrorCode = "invalid_argument") {
    super(nativeCode, message);
    this.mlflowCode = mlflowCode;
    this.mlflowStatus = status;
  }
}

export const invalidParam = (message: string) => new ApiError("invalid_argument", message);
export const doesNotExist = (message: string) => new ApiError("not_found", message);
export const alreadyExists = (message: string) => new ApiError("conflict", message);

export function mlflowError(err: ApiError): { status: number; body: { error_code: string; message: string } } {
  const t = err instanceof MlflowError ? { code: err.mlflowCode, status: err.mlflowStatus } : fromNative[err.code];
  return { status: t.status, body: { error_code: t.code, message: err.message } };
}

export const isMlflowPath = (path: string) => path.startsWith("/api/2.0/mlflow");
