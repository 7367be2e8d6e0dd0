import { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { connectionLost } from "./lib/db";
import { ApiError, errorBody, type ErrorCode } from "./lib/errors";
import { fromPostgresError } from "./lib/pg-errors";
import { requestId } from "./middleware/request-id";
import { frameOptions } from "./middleware/frame-options";
import { jsonBody } from "./middleware/json-body";
import { services } from "./middleware/services";
import { apiKeysRouter } from "./routes/api-keys";
import { artifactsRouter } from "./routes/artifacts";
import { auditRouter } from "./routes/audit";
import { authRouter } from "./routes/auth";
import { healthRouter } from "./routes/health";
import { invitesRouter } from "./routes/invites";
import { logsRouter } from "./routes/logs";
import { membersRouter } from "./routes/members";
import { mlflowRouter } from "./routes/mlflow";
import { isMlflowPath, mlflowError } from "./routes/mlflow/lib/errors";
import { mlflowArtifactsRouter } from "./routes/mlflow-artifacts";
import { metricsRouter } from "./routes/metrics";
import { projectsRouter } from "./routes/projects";
import { reportsRouter } from "./routes/reports";
import { retentionRouter } from "./routes/retention";
import { runsRouter } from "./routes/runs";
import { shareLinksRouter } from "./routes/share-links";
import { sharePageRouter } from "./routes/share-page";
import { teamsRouter } from "./routes/teams";
import { usageRouter } from "./routes/usage";
import { workspacesRouter } from "./routes/workspaces";
import { VERSION } from "./version";

const httpCodes: Record<number, ErrorCode> = {
  400: "invalid_argument",
  401: "unauthenticated",
  403: "permission_denied",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

// Request body caps by route; bulk ingest routes add their own entries here.
const bodyLimits: [RegExp, number][] = [
  // Console batches: 1 MiB of text, plus room for JSON escaping.
  [/^\/api\/v1\/runs\/[^/]+\/logs$/, 2 * 1024 * 1024],
  // Metric batches: 4 MiB as sent (gzip or not); the decoded size is capped while inflating.
  [/^\/api\/v1\/runs\/[^/]+\/metrics$/, 4 * 1024 * 1024],
  // Artifact manifests: up to 1,000 files of paths up to 1,024 characters.
  [/^\/api\/v1\/(projects\/[^/]+\/artifacts\/[^/]+\/versions(\/[^/]+\/commit)?|runs\/[^/]+\/files(\/commit)?)$/, 2 * 1024 * 1024],
  // MLflow log-batch: 1,000 metrics, 100 params of 6,000 characters, 100 tags of 8,000, as protobuf JSON.
  [/^\/api\/2\.0\/mlflow\/runs\/log-batch$/, 4 * 1024 * 1024],
  // MLflow multipart-upload completion lists up to 10,000 parts.
  [/^\/api\/2\.0\/mlflow-artifacts\/mpu\//, 2 * 1024 * 1024],
  // Reports: 256 KiB of blocks plus the title and JSON around them, so the
  // blocks cap answers (naming it) before the generic body cap.
  [/^\/api\/v1\/(projects\/[^/]+\/reports|reports\/[^/]+)$/, 512 * 1024],
];
// Bodies that are bytes, not JSON: the proxied artifact upload streams its
// body to the object store and counts it there (routes/mlflow-artifacts).
const rawBodies = [/^\/api\/2\.0\/mlflow-artifacts\/artifacts\//];
const DEFAULT_BODY_LIMIT = 256 * 1024;
const bodyLimitFor = (path: string) =>
  rawBodies.some((re) => re.test(path)) ? null : (bodyLimits.find(([re]) => re.test(path))?.[1] ?? DEFAULT_BODY_LIMIT);

// No identifier, name or filter in Sightline contains NUL; Postgres cannot store
// one, so such a URL is refused before any handler sees it.
const rejectNul = createMiddleware<AppEnv>(async (c, next) => {
  let url: string;
  try {
    url = decodeURIComponent(c.req.url);
  } catch {
    throw new ApiError("invalid_argument", "the URL is not valid percent-encoded UTF-8");
  }
  if (url.includes("\u0000")) throw new ApiError("invalid_argument", "the URL must not contain NUL characters");
  await next();
});

export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  app.use("*", requestId);
  app.use("*", frameOptions);
  app.use("/api/*", rejectNul);
  app.use("/api/*", services);
  app.use("/api/*", jsonBody(bodyLimitFor));

  app.route("/api", healthRouter);
  app.route("/api/v1", authRouter);
  app.route("/api/v1/teams", teamsRouter);
  app.route("/api/v1/members", membersRouter);
  app.route("/api/v1/invites", invitesRouter);
  app.route("/api/v1/api-keys", apiKeysRouter);
  app.route("/api/v1/audit", auditRouter);
  app.route("/api/v1/usage", usageRouter);
  app.route("/api/v1/projects", projectsRouter);
  app.route("/api/v1/retention", retentionRouter);
  app.route("/api/v1", runsRouter);
  app.route("/api/v1", metricsRouter);
  app.route("/api/v1", logsRouter);
  app.route("/api/v1", artifactsRouter);
  app.route("/api/v1", shareLinksRouter);
  app.route("/api/v1", reportsRouter);
  app.route("/api/v1", workspacesRouter);
  app.route("/api/2.0/mlflow", mlflowRouter);
  app.route("/api/2.0/mlflow-artifacts", mlflowArtifactsRouter);
  // Share pages (not API): the SPA shell with the report's link preview.
  app.route("/share", sharePageRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (sl_...) or an access token from POST /api/v1/auth/token",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "basic", {
    type: "http",
    scheme: "basic",
    description: "Any user name, the API key as password (how MLflow clients send it)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "sl_session",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Sightline API", version: VERSION },
  });

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const message = `no route for ${c.req.method} ${path}`;
    if (isMlflowPath(path)) return c.json({ error_code: "ENDPOINT_NOT_FOUND", message }, 404);
    return c.json(errorBody(new ApiError("not_found", message), c.get("requestId") ?? ""), 404);
  });

  app.onError((err, c) => {
    const rid = c.get("requestId") ?? "";
    const mlflow = isMlflowPath(c.req.path);
    const reply = (e: ApiError) => {
      // Unavailable is transient (a lost database connection, a serialization
      // conflict): clients that honour Retry-After come back in a second.
      if (e.retryAfter !== undefined) c.header("Retry-After", String(Math.max(1, Math.ceil(e.retryAfter))));
      else if (e.code === "unavailable" && !c.res.headers.has("Retry-After")) c.header("Retry-After", "1");
      if (mlflow) {
        const m = mlflowError(e);
        return c.json(m.body, m.status as 400);
      }
      return c.json(errorBody(e, rid), e.status);
    };
    if (err instanceof ApiError) return reply(err);
    if (err instanceof HTTPException && httpCodes[err.status]) {
      const code = httpCodes[err.status]!;
      const message = err.message === "Malformed JSON in request body" ? "request body is not valid JSON" : err.message;
      return reply(new ApiError(code, message));
    }
    // Checked first: once the connection died, whatever error surfaced (often
    // the failed ROLLBACK) is its consequence. One log line, no stack: the
    // cause is outside the code.
    const lost = connectionLost(err, c.get("db"));
    if (lost) {
      console.error(JSON.stringify({ request_id: rid, error: "database connection lost", reason: lost }));
      return reply(new ApiError("unavailable", "the database connection was lost; retry the request"));
    }
    const mapped = fromPostgresError(err);
    if (mapped) return reply(mapped);
    console.error(JSON.stringify({ request_id: rid, error: String(err), stack: (err as Error).stack }));
    return reply(new ApiError("internal", `internal error; quote the request id ${rid} if you report it`));
  });

  return app;
}
