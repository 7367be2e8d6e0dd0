import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { authErrors, errorResponse, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { ingestBatch } from "../../services/metrics/ingest";
import { parseBatch } from "../../services/metrics/parse";
import { checkIngestRate } from "../../services/team-rates";
import { readBodyText } from "./body";
import { ingestBody, ingestResult, runParams } from "./schema";

// The body ({ seq, metrics: { key: { steps, values, timestamps? } } }, see the
// MetricBatch schema) is read and checked by hand: it may be gzip, and a
// 10,000-point batch is the hot path.
const route = createRoute({
  method: "post",
  path: "/runs/{run}/metrics",
  summary: "Log a batch of metric points (idempotent by seq; Content-Encoding: gzip accepted)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: {
    params: runParams,
    // Documented by reference only: a schema here would make the framework
    // parse the body itself, which it cannot do for gzip.
    body: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/MetricBatch" } } } },
  },
  responses: {
    200: jsonContent(ingestResult),
    ...authErrors,
    413: errorResponse("More than 10,000 points, or a body over 4 MiB decoded"),
  },
});

const router = newRouter();
router.openAPIRegistry.register("MetricBatch", ingestBody);

export const ingestRoute = router.openapi(route, async (c) => {
  const text = await readBodyText(c.req.raw);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_argument", "body: is not valid JSON");
  }
  const batch = parseBatch(body, Date.now());
  // Before anything is written: a refused batch stores nothing (the SDK retries it after Retry-After).
  await checkIngestRate(c.get("db"), c.get("principal").teamId, batch.total);
  const quotas = c.get("config").QUOTAS === "on";
  const result = await ingestBatch(c.get("db"), c.get("principal").teamId, c.req.valid("param").run, batch, { quotas });
  return c.json(result, 200);
});
