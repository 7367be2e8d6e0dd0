import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, notFound } from "../../lib/errors";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { checkShareKey } from "../../lib/share-access";
import { guardShare } from "../../middleware/auth";
import { bucketize, type BucketTiming } from "../../services/metrics/buckets";
import { readTarget } from "../../services/metrics/series";
import { frozenBuckets, frozenSnapshot } from "../../services/share-snapshot-read";
import { metricKey, metricValue, queryInt } from "./schema";

const runIds = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().min(1).max(128)).min(1, "give at least one run").max(50, "at most 50 runs"))
  .openapi({ param: { name: "run", in: "query" }, description: "Run id; repeat for up to 50 runs", type: "array", items: { type: "string" } });

const query = z
  .object({
    run: runIds,
    key: metricKey,
    buckets: queryInt(5000).min(1, "must be ≥ 1").default(1000),
    start: queryInt().optional(),
    end: queryInt().optional(),
    x: z.enum(["step", "time"]).default("step"),
  })
  .refine((q) => q.start === undefined || q.end === undefined || q.start <= q.end, { message: "must not be below start", path: ["end"] });

const bucket = z
  .object({ x0: z.number(), x1: z.number(), min: metricValue.nullable(), max: metricValue.nullable(), last: metricValue, count: z.number().int(), last_x: z.number() })
  .openapi("MetricBucket");

const route = createRoute({
  method: "get",
  path: "/metrics/buckets",
  summary: "Exact per-bucket min, max, last and count of one metric over 1 to 50 runs",
  security: bearerSecurity,
  // A share link reads only the runs and keys its report shows.
  middleware: guardShare("read"),
  request: { query },
  responses: {
    200: jsonContent(
      z.object({
        key: z.string(),
        x: z.enum(["step", "time"]),
        start: z.number().nullable(),
        end: z.number().nullable(),
        buckets: z.number().int(),
        series: z.array(z.object({ run: z.string(), points: z.array(bucket) })),
      }),
    ),
    ...authErrors,
  },
});

export const bucketsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const db = c.get("db");
  const runs = [...new Set(q.run)];
  for (const run of runs) checkShareKey(c, run, q.key);
  // A frozen link answers from its snapshot, bucketed by the same code (worker/services/share-snapshot.ts).
  const frozen = await frozenSnapshot(c);
  if (frozen) return c.json(await frozenBuckets(frozen, runs, q.key, q.x, q.buckets, q.start, q.end), 200);
  const target = await readTarget(db, teamId, runs, q.key, q.start === undefined || q.end === undefined ? q.x : null);
  if (target.missingRun !== null) throw notFound("run");
  const series = target.series;
  const ids = [...series.values()];
  const range = target.range;
  const start = q.start ?? range?.[0];
  const end = q.end ?? range?.[1];
  if (start !== undefined && end !== undefined && start > end) throw new ApiError("invalid_argument", "start: must not be above end");
  const timing: BucketTiming = { sql: 0, decode: 0, rows: 0 };
  const accs = ids.length > 0 && start !== undefined && end !== undefined ? await bucketize(db, teamId, ids, q.x, start, end, q.buckets, timing) : new Map();
  const out = runs.map((run) => ({ run, points: accs.get(series.get(run) ?? -1)?.toJson() ?? [] }));
  c.header("server-timing", `sql;dur=${timing.sql.toFixed(1)}, decode;dur=${timing.decode.toFixed(1)}`);
  return c.json({ key: q.key, x: q.x, start: start ?? null, end: end ?? null, buckets: q.buckets, series: out }, 200);
});
