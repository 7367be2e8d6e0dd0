import { z } from "@hono/zod-openapi";
import { timestamp } from "../../lib/validation";

export const previewQuery = z.object({
  project: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\u0000-\u001F\u007F]+$/, "must not contain control characters")
    .optional()
    .openapi({ description: "Project id (prj_...) or name; the whole team when absent" }),
  within_days: z.coerce
    .number()
    .int("within_days: must be a whole number of days")
    .min(0)
    .max(90)
    .default(0)
    .openapi({ description: "0: what the next pass deletes; N: what goes within N days" }),
});

export const previewRunSchema = z.object({
  id: z.string(),
  name: z.string(),
  project_id: z.string(),
  created_at: timestamp,
  deletes_at: timestamp,
});

export const previewSchema = z
  .object({
    // The plan's retention, or the project's when it is shorter.
    retention_days: z.number(),
    runs: z.array(previewRunSchema),
    // More runs qualify than the answer lists (oldest first).
    truncated: z.boolean(),
  })
  .openapi("RetentionPreview");
