import { z } from "@hono/zod-openapi";

// A report's blocks. A block names what it shows explicitly (run ids, metric
// keys, artifact versions), so a share link can be scoped to exactly that:
// the link's principal may read those runs, those keys, those files and
// nothing else (worker/services/share-scope.ts).

const id = z.string().min(1).max(64);
const runIds = z.array(z.string().regex(/^run_[0-9A-Za-z]{1,40}$/, "must be a run id")).max(100);
const metricKeys = z.array(z.string().min(1).max(256)).max(50);

export const markdownBlock = z.object({ type: z.literal("markdown"), id, text: z.string().max(100_000) });

export const chartBlock = z.object({
  type: z.literal("chart"),
  id,
  title: z.string().max(200).optional(),
  runs: runIds.min(1),
  keys: metricKeys.min(1),
  x: z.enum(["step", "time"]).default("step"),
  range: z.tuple([z.number(), z.number()]).optional(),
  smoothing: z.number().min(0).max(0.999).default(0),
  log_y: z.boolean().default(false),
});

export const runsTableBlock = z.object({
  type: z.literal("runs_table"),
  id,
  runs: runIds.min(1),
  columns: z.array(z.string().min(1).max(300)).max(50).default([]),
  order_by: z.string().max(300).optional(),
});

export const compareBlock = z.object({ type: z.literal("compare"), id, runs: runIds.min(2), keys: metricKeys.default([]) });

export const artifactBlock = z.object({
  type: z.literal("artifact"),
  id,
  project_id: z.string().min(1).max(64).optional(),
  artifact: z.string().min(1).max(300), // an artifact id, or name:alias / name:vN within the report's project
  path: z.string().min(1).max(1024).optional(), // one file of the version to preview (an image, a table)
});

export const reportBlock = z.discriminatedUnion("type", [markdownBlock, chartBlock, runsTableBlock, compareBlock, artifactBlock]);
export type ReportBlock = z.infer<typeof reportBlock>;

export const MAX_BLOCKS = 200;
export const MAX_REPORT_BYTES = 256 * 1024;
export const reportBlocks = z.array(reportBlock).max(MAX_BLOCKS);
