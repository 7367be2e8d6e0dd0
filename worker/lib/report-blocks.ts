import { z } from "@hono/zod-openapi";
import { checkJsonObject } from "./validation";

// A report's blocks. A block names what it shows explicitly (run ids, metric
// keys, artifact versions), so a share link can be scoped to exactly that:
// the link's principal may read those runs, those keys, those files and
// nothing else (worker/lib/share-access.ts).

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

// Shape first; then what one block cannot see alone: ids unique within the
// report (the editor and share scopes address blocks by id), the whole under
// MAX_REPORT_BYTES, and no text jsonb would refuse (NUL, unpaired surrogates:
// a 500 if they reached Postgres). Run ids are checked against the team by the
// service (worker/services/reports.ts), which has the database.
export const reportBlocks = z
  .array(reportBlock)
  .max(MAX_BLOCKS, `at most ${MAX_BLOCKS} blocks`)
  .superRefine((blocks, ctx) => {
    const seen = new Map<string, number>();
    blocks.forEach((b, i) => {
      const first = seen.get(b.id);
      if (first === undefined) seen.set(b.id, i);
      else ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate block id "${b.id}" (block ${first} has it too)` });
    });
    const problem = checkJsonObject({ ...blocks }, Number.POSITIVE_INFINITY);
    if (problem) ctx.addIssue({ code: "custom", path: problem.path.map((k) => (/^\d+$/.test(String(k)) ? Number(k) : k)), message: problem.message });
    const bytes = new TextEncoder().encode(JSON.stringify(blocks)).length;
    if (bytes > MAX_REPORT_BYTES) ctx.addIssue({ code: "custom", path: [], message: `at most ${MAX_REPORT_BYTES} bytes as JSON (got ${bytes})` });
  });

// Every run id the blocks name, with the index of the first block naming it
// (for errors that point at the block).
export function blockRunIds(blocks: ReportBlock[]): Map<string, number> {
  const out = new Map<string, number>();
  blocks.forEach((b, i) => {
    if ("runs" in b) for (const r of b.runs) if (!out.has(r)) out.set(r, i);
  });
  return out;
}
