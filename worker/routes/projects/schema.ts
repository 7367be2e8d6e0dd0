import { z } from "@hono/zod-openapi";
import { slugName, text, timestamp } from "../../lib/validation";
import type { Project } from "../../services/projects";

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Project");

export const projectParams = z.object({
  project: z.string().min(1).max(128).openapi({ param: { name: "project", in: "path" }, description: "Project id (prj_...) or name" }),
});

export const createProjectBody = z.object({ name: slugName, description: text(2000, 0).optional() });
export const updateProjectBody = z
  .object({ name: slugName.optional(), description: text(2000, 0).optional() })
  .refine((b) => b.name !== undefined || b.description !== undefined, "give name or description to change");

export const projectJson = (p: Project) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});
