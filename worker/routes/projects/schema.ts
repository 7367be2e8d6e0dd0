import { z } from "@hono/zod-openapi";
import { slugName, text, timestamp } from "../../lib/validation";
import type { Project } from "../../services/projects";

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    // History retention for this project's runs when shorter than the plan's; null: the plan's.
    retention_days: z.number().int().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Project");

export const projectParams = z.object({
  project: z.string().min(1).max(128).openapi({ param: { name: "project", in: "path" }, description: "Project id (prj_...) or name" }),
});

export const createProjectBody = z.object({ name: slugName, description: text(2000, 0).optional() });
export const updateProjectBody = z
  .object({
    name: slugName.optional(),
    description: text(2000, 0).optional(),
    retention_days: z
      .number()
      .int("retention_days: must be a whole number of days")
      .min(1)
      .max(3650)
      .nullable()
      .optional()
      .openapi({ description: "Days to keep this project's runs (owner or admin; at most the plan's); null: the plan's retention" }),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined || b.retention_days !== undefined, "give name, description or retention_days to change");

export const projectJson = (p: Project) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  retention_days: p.retentionDays ?? null,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});
