import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { readPoints } from "../../../services/metrics/points";
import { seriesOfKey } from "../../../services/metrics/series";
import { toJsonValue } from "../../../services/metrics/summary";
import { getRunInTeam } from "../../../services/run-lookup";
import { doesNotExist, invalidParam } from "../lib/errors";
import { required, runIdOf, runRef } from "../lib/request";
import { decodeStepToken, encodeStepToken } from "./history-token";

// MLflow's clients page with max_results=25000; a caller that sends none gets
// pages of that size too (with a token) rather than an unbounded answer.
const DEFAULT_PAGE = 25_000;
const MAX_PAGE = 100_000;
const LAST_STEP = 2 ** 53 - 1;

const query = z.object({
  ...runRef,
  metric_key: z.string().optional(),
  max_results: z.string().regex(/^-?\d{1,15}$/, "must be an integer").optional(),
  page_token: z.string().max(1000).optional(),
});

export const mlflowMetric = z
  .object({ key: z.string(), value: z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]), timestamp: z.number().int(), step: z.number().int() })
  .openapi("MlflowMetric");

const route = createRoute({
  method: "get",
  path: "/metrics/get-history",
  summary: "MLflow: every value of one metric of a run, in step order, paged",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query },
  responses: { 200: jsonContent(z.object({ metrics: z.array(mlflowMetric).optional(), next_page_token: z.string().optional() })), ...authErrors },
});

export const getHistoryRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const runId = runIdOf(q);
  const key = required(q.metric_key, "metric_key");
  const max = q.max_results === undefined ? DEFAULT_PAGE : Number(q.max_results);
  if (max <= 0) throw invalidParam(`Invalid value ${max} for parameter 'max_results' supplied. It must be a positive integer.`);
  const from = q.page_token ? decodeStepToken(q.page_token) : 0;
  const teamId = c.get("principal").teamId;
  const db = c.get("db");
  await getRunInTeam(db, teamId, runId).catch(() => {
    throw doesNotExist(`Run with id=${runId} not found`);
  });
  const seriesId = (await seriesOfKey(db, teamId, [runId], key)).get(runId);
  if (seriesId === undefined) return c.json({ metrics: [] }, 200);
  // readPoints reads a page in one snapshot (docs/adr/0009).
  const page = await readPoints(db, teamId, seriesId, from, LAST_STEP, Math.min(max, MAX_PAGE));
  const metrics = page.steps.map((step, i) => ({ key, value: toJsonValue(page.values[i]!), timestamp: page.times[i]!, step }));
  return c.json(page.next === null ? { metrics } : { metrics, next_page_token: encodeStepToken(page.next) }, 200);
});
