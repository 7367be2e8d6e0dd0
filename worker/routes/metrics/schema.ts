import { z } from "@hono/zod-openapi";

export const runParams = z.object({
  run: z.string().min(1).max(128).openapi({ param: { name: "run", in: "path" }, description: "Run id (run_...)" }),
});

// JSON numbers, or "NaN" / "Infinity" / "-Infinity" (docs/api/tracking.md, Numbers).
export const metricValue = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]).openapi("MetricValue");

export const metricKey = z
  .string()
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters")
  .regex(/^[\p{L}\p{N}_./ :-]+$/u, "use letters, digits, '_', '.', '/', ':', ' ' and '-'");

const MAX_INT = 2 ** 53 - 1;
// Query strings carry numbers as text; coerce, then insist on an integer in range.
export const queryInt = (max = MAX_INT) => z.coerce.number().int("must be an integer").min(0, "must be ≥ 0").max(max, `must be at most ${max}`);

export const ingestBody = z
  .object({
    seq: z.number().int().min(0),
    metrics: z.record(
      z.string(),
      z.object({ steps: z.array(z.number().int()), values: z.array(metricValue), timestamps: z.array(z.number()).optional() }),
    ),
  })
  .openapi("MetricBatch");

export const ingestResult = z.object({ accepted: z.number().int(), duplicate: z.boolean() }).openapi("MetricIngestResult");
