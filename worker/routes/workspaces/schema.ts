import { z } from "@hono/zod-openapi";
import type { Workspace } from "../../services/workspaces";

export const SETTINGS_MAX_BYTES = 64 * 1024;

export const projectParams = z.object({
  project: z.string().min(1).max(256).openapi({ param: { name: "project", in: "path" }, description: "Project id (prj_...) or name" }),
});

// What the dashboard keeps per member and project: which runs are shown,
// smoothing, x axis, log scale, collapsed sections, zoom per section. Unknown
// fields are refused (naming them) so a typo does not silently save nothing.
export const settingsSchema = z
  .object({
    runs: z.array(z.string().min(1).max(64)).max(100).optional().openapi({ description: "Run ids shown (absent: the 10 most recent)" }),
    smoothing: z.number().min(0).max(0.999).optional(),
    x: z.enum(["step", "time"]).optional(),
    log_y: z.boolean().optional(),
    collapsed: z.array(z.string().min(1).max(200)).max(500).optional().openapi({ description: "Section names collapsed" }),
    order: z.array(z.string().min(1).max(200)).max(500).optional().openapi({ description: "Section order" }),
    filter: z.string().max(500).optional(),
  })
  .strict()
  .refine((s) => new TextEncoder().encode(JSON.stringify(s)).length <= SETTINGS_MAX_BYTES, { message: `must be at most 64 KiB (${SETTINGS_MAX_BYTES} bytes) as JSON` })
  .openapi("WorkspaceSettings");

export const putBody = z.object({ settings: settingsSchema });

export const workspaceSchema = z
  .object({ project_id: z.string(), settings: z.record(z.string(), z.unknown()), updated_at: z.string().nullable() })
  .openapi("Workspace");

export const workspaceJson = (w: Workspace) => ({ project_id: w.projectId, settings: w.settings, updated_at: w.updatedAt?.toISOString() ?? null });
