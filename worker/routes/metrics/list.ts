import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { checkShareRun, shareKeysOf } from "../../lib/share-access";
import { guardShare } from "../../middleware/auth";
import { seriesOfRun } from "../../services/metrics/series";
import type { JsonValue } from "../../services/metrics/summary";
import { getRunInTeam } from "../../services/run-lookup";
import { frozenMetricList, frozenSnapshot } from "../../services/share-snapshot-read";
import { metricValue, runParams } from "./schema";

const metricInfo = z
  .object({
    key: z.string(),
    count: z.number().int(),
    min_step: z.number().int().nullable(),
    max_step: z.number().int(),
    last: metricValue,
    min: metricValue.nullable(),
    max: metricValue.nullable(),
  })
  .openapi("MetricInfo");

const route = createRoute({
  method: "get",
  path: "/runs/{run}/metrics",
  summary: "The run's metric keys with their summaries",
  security: bearerSecurity,
  // A share link lists only the keys its report shows, of the runs it names.
  middleware: guardShare("read"),
  request: { params: runParams },
  responses: { 200: jsonContent(z.object({ metrics: z.array(metricInfo) })), ...authErrors },
});

export const listRoute = newRouter().openapi(route, async (c) => {
  const teamId = c.get("principal").teamId;
  const db = c.get("db");
  checkShareRun(c, c.req.valid("param").run);
  // A frozen link answers from its snapshot (worker/services/share-snapshot.ts).
  const frozen = await frozenSnapshot(c);
  if (frozen) return c.json({ metrics: frozenMetricList(frozen, c.req.valid("param").run) }, 200);
  const run = await getRunInTeam(db, teamId, c.req.valid("param").run);
  const allowed = shareKeysOf(c, run.id);
  const series = (await seriesOfRun(db, teamId, run.id)).filter((s) => !allowed || allowed.has(s.key));
  const metrics = series.flatMap((s) => {
    const sum = run.summary[s.key];
    if (!sum) return [];
    return [{ key: s.key, count: sum.count, min_step: s.minStep, max_step: sum.step, last: sum.last as JsonValue, min: sum.min as JsonValue | null, max: sum.max as JsonValue | null }];
  });
  return c.json({ metrics }, 200);
});
