import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { checkShareKey, checkShareRun } from "../../lib/share-access";
import { guardShare } from "../../middleware/auth";
import { readPoints } from "../../services/metrics/points";
import { seriesOfKey } from "../../services/metrics/series";
import { toJsonValue } from "../../services/metrics/summary";
import { getRunInTeam } from "../../services/run-lookup";
import { frozenPoints, frozenSnapshot } from "../../services/share-snapshot-read";
import { metricKey, metricValue, queryInt, runParams } from "./schema";

// key is checked after the run, so another team's run is a 404 whatever the query.
const query = z.object({
  key: metricKey.optional(),
  cursor: queryInt().optional(),
  limit: queryInt(10_000).min(1, "must be ≥ 1").default(1000),
  start: queryInt().optional(),
  end: queryInt().optional(),
});

const point = z.object({ step: z.number().int(), value: metricValue, timestamp: z.number() }).openapi("MetricPoint");

const route = createRoute({
  method: "get",
  path: "/runs/{run}/metrics/points",
  summary: "Raw points of one metric, in step order, paged",
  security: bearerSecurity,
  // A share link reads only the runs and keys its report shows.
  middleware: guardShare("read"),
  request: { params: runParams, query },
  responses: { 200: jsonContent(z.object({ points: z.array(point), next_cursor: z.number().int().nullable() })), ...authErrors },
});

export const pointsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const db = c.get("db");
  checkShareRun(c, c.req.valid("param").run);
  // A frozen link answers from its snapshot (worker/services/share-snapshot.ts).
  const frozen = await frozenSnapshot(c);
  const run = frozen ? { id: c.req.valid("param").run } : await getRunInTeam(db, teamId, c.req.valid("param").run);
  if (q.key === undefined) throw new ApiError("invalid_argument", "key: required (the metric key to read)");
  checkShareKey(c, run.id, q.key);
  if (frozen) return c.json(await frozenPoints(frozen, run.id, q.key, q), 200);
  const seriesId = (await seriesOfKey(db, teamId, [run.id], q.key)).get(run.id);
  if (seriesId === undefined) return c.json({ points: [], next_cursor: null }, 200);
  const lo = Math.max(q.cursor ?? 0, q.start ?? 0);
  const hi = q.end ?? 2 ** 53 - 1;
  if (lo > hi) return c.json({ points: [], next_cursor: null }, 200);
  const page = await readPoints(db, teamId, seriesId, lo, hi, q.limit);
  const points = page.steps.map((step, i) => ({ step, value: toJsonValue(page.values[i]!), timestamp: page.times[i]! }));
  return c.json({ points, next_cursor: page.next }, 200);
});
