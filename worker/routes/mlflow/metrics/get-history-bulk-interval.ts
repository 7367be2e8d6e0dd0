import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { seriesPoints } from "../../../services/metrics/points";
import { samplePoints, type Sampled } from "../../../services/metrics/sample";
import { readTarget } from "../../../services/metrics/series";
import { inSnapshot } from "../../../services/metrics/sql";
import { toJsonValue } from "../../../services/metrics/summary";
import { doesNotExist, invalidParam } from "../lib/errors";
import { required } from "../lib/request";

// MLflow's limits (server/handlers.py): up to 100 runs, up to 2,500 points a run.
const MAX_RUNS = 100;
const MAX_RESULTS_PER_RUN = 2500;

const intText = z.string().regex(/^-?\d{1,16}$/, "must be an integer").transform(Number);

const query = z.object({
  run_ids: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .openapi({ param: { name: "run_ids", in: "query" }, description: "Run id; repeat for up to 100 runs", type: "array", items: { type: "string" } }),
  metric_key: z.string().optional(),
  start_step: intText.optional(),
  end_step: intText.optional(),
  max_results: intText.optional(),
});

const metricWithRunId = z
  .object({ key: z.string(), value: z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]), timestamp: z.number().int(), step: z.number().int(), run_id: z.string() })
  .openapi("MlflowMetricWithRunId");

const route = createRoute({
  method: "get",
  path: "/metrics/get-history-bulk-interval",
  summary: "MLflow: one metric of up to 100 runs over a step range, sampled so that no extreme is hidden",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query },
  responses: { 200: jsonContent(z.object({ metrics: z.array(metricWithRunId).optional() })), ...authErrors },
});

export const getHistoryBulkIntervalRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const runIds = [...new Set(q.run_ids ?? [])];
  if (runIds.length === 0) throw invalidParam("Missing value for required parameter 'run_ids'. See the API docs for more information about request parameters.");
  if (runIds.length > MAX_RUNS) {
    throw invalidParam(`GetMetricHistoryBulkInterval request must specify at most ${MAX_RUNS} run_ids. Received ${runIds.length} run_ids.`);
  }
  const key = required(q.metric_key, "metric_key");
  const max = q.max_results ?? MAX_RESULTS_PER_RUN;
  if (max < 1 || max > MAX_RESULTS_PER_RUN) throw invalidParam(`max_results must be between 1 and ${MAX_RESULTS_PER_RUN}.`);
  if ((q.start_step === undefined) !== (q.end_step === undefined)) {
    throw invalidParam("If either start step or end step are specified, both must be specified.");
  }
  if (q.start_step !== undefined && q.end_step !== undefined && q.start_step > q.end_step) {
    throw invalidParam(`end_step must be greater than start_step. Found start_step=${q.start_step} and end_step=${q.end_step}.`);
  }
  const teamId = c.get("principal").teamId;
  const db = c.get("db");
  const target = await readTarget(db, teamId, runIds, key, q.start_step === undefined ? "step" : null);
  if (target.missingRun !== null) throw doesNotExist(`Run with id=${target.missingRun} not found`);
  // MLflow's default range starts at step 0 and ends at the highest step logged.
  const lo = Math.max(0, q.start_step ?? 0);
  const hi = q.end_step ?? target.range?.[1];
  if (hi === undefined || hi < lo || target.series.size === 0) return c.json({ metrics: [] }, 200);
  // Every run's points come from one snapshot (docs/adr/0009).
  const sampled = await inSnapshot(db, async (tx) => {
    const out = new Map<string, Sampled>();
    for (const [runId, seriesId] of target.series) out.set(runId, await samplePoints(seriesPoints(tx, teamId, seriesId, lo, hi), lo, hi, max));
    return out;
  });
  const metrics = runIds.flatMap((runId) => {
    const s = sampled.get(runId);
    if (!s) return [];
    return s.steps.map((step, i) => ({ key, value: toJsonValue(s.values[i]!), timestamp: s.times[i]!, step, run_id: runId }));
  });
  return c.json({ metrics }, 200);
});
