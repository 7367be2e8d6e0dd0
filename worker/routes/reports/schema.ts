import { z } from "@hono/zod-openapi";
import { reportBlocks } from "../../lib/report-blocks";
import { text, timestamp } from "../../lib/validation";
import type { Report, ReportVersion } from "../../services/reports";

const blocksSchema = z.array(z.record(z.string(), z.unknown())).openapi({ description: "Report blocks (worker/lib/report-blocks.ts)" });

export const reportSchema = z
  .object({
    id: z.string(),
    project_id: z.string(),
    title: z.string(),
    blocks: blocksSchema,
    version: z.number().int(),
    created_by: z.string(),
    updated_by: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Report");

export const reportSummarySchema = z.object({ id: z.string(), title: z.string(), version: z.number().int(), updated_at: timestamp, updated_by: z.string() });

export const versionSummarySchema = z.object({ version: z.number().int(), title: z.string(), saved_by: z.string(), saved_at: timestamp });
export const versionSchema = versionSummarySchema.extend({ blocks: blocksSchema }).openapi("ReportVersion");

export const reportParams = z.object({
  report: z.string().min(1).max(64).openapi({ param: { name: "report", in: "path" }, description: "Report id (rpt_...)" }),
});

export const versionParams = reportParams.extend({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, "must be a version number (1, 2, ...)")
    .transform(Number)
    .openapi({ param: { name: "version", in: "path" }, type: "integer" }),
});

const baseVersion = z.number().int("must be a whole number").min(1).max(2_147_483_646).openapi({ description: "The version this edit started from" });

export const createReportBody = z.object({ title: text(200), blocks: reportBlocks.default([]) });
export const updateReportBody = z.object({ title: text(200), blocks: reportBlocks, base_version: baseVersion });
export const restoreBody = z.object({ base_version: baseVersion });

export const reportJson = (r: Report) => ({
  id: r.id,
  project_id: r.projectId,
  title: r.title,
  blocks: r.blocks,
  version: r.version,
  created_by: r.createdBy,
  updated_by: r.updatedBy,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

export const versionJson = (v: Pick<ReportVersion, "version" | "title" | "savedBy" | "savedAt">) => ({
  version: v.version,
  title: v.title,
  saved_by: v.savedBy,
  saved_at: v.savedAt.toISOString(),
});
