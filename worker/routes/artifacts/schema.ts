import { z } from "@hono/zod-openapi";
import { jsonObject, slugName, text, timestamp } from "../../lib/validation";
import type { Artifact, Version } from "../../services/artifacts/versions";

const maxFileSize = 5 * 1024 ** 4; // S3's own object limit, 5 TiB

// Relative POSIX paths inside the artifact; the SDK writes them under a folder,
// so "..", absolute paths and backslashes are refused here, not there.
const filePath = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .refine((p) => !/[\u0000-\u001F\u007F\\]/.test(p), "must not contain control characters or backslashes")
  .refine((p) => p.split("/").every((s) => s !== "" && s !== "." && s !== ".."), "must be a relative path without '.', '..' or empty segments");

export const fileEntry = z.object({
  path: filePath,
  size: z.number().int().min(0).max(maxFileSize),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits"),
});

const files = z
  .array(fileEntry)
  .min(1, "must list at least one file")
  .max(1000, "at most 1000 files per request")
  .refine((fs) => new Set(fs.map((f) => f.path)).size === fs.length, "paths must be unique");

export const aliasName = z
  .string()
  .min(1)
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, '.', '_' and '-'")
  .refine((a) => !/^v\d+$/.test(a) && !a.startsWith("ver_"), "must not look like a version (v3) or a version id");

export const artifactType = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9_-]*$/, "use lowercase letters, digits, '_' and '-'");

const pathParam = (name: string, schema: z.ZodType, description: string) =>
  (schema as z.ZodString).openapi({ param: { name, in: "path" }, description });

export const projectParam = pathParam("project", z.string().min(1).max(128), "Project id (prj_...) or name");
export const artifactParams = z.object({ project: projectParam, name: pathParam("name", slugName, "Artifact name") });
export const versionParams = artifactParams.extend({
  version: pathParam("version", z.string().min(1).max(64), "v3, an alias (latest, best, ...) or a version id"),
});
export const aliasParams = artifactParams.extend({ alias: pathParam("alias", aliasName, "Alias name") });
export const runParams = z.object({ run: pathParam("run", z.string().min(1).max(64), "Run id") });

export const announceBody = z.object({
  type: artifactType,
  files,
  metadata: jsonObject().optional(),
  description: text(2000, 0).optional(),
  aliases: z.array(aliasName).max(20).optional(),
  run_id: z.string().min(1).max(64).optional(),
});
export const runFilesBody = z.object({ files });
export const commitRunFilesBody = z.object({ paths: z.array(filePath).min(1).max(1000) });
export const aliasBody = z.object({ version: z.string().min(1).max(64).openapi({ description: "v3, an alias or a version id" }) });
export const useBody = z.object({ project: z.string().min(1).max(128), artifact: slugName, version: z.string().min(1).max(64) });

export const uploadSchema = z
  .object({
    sha256: z.string(),
    size: z.number(),
    method: z.enum(["PUT", "MULTIPART"]),
    url: z.string().optional(),
    part_size: z.number().optional(),
    parts: z.array(z.object({ part_number: z.number(), url: z.string() })).optional(),
  })
  .openapi("ArtifactUpload");

export const artifactSchema = z
  .object({ id: z.string(), project_id: z.string(), name: z.string(), type: z.string(), description: z.string(), latest_version: z.number(), created_at: timestamp, updated_at: timestamp })
  .openapi("Artifact");

export const versionSchema = z
  .object({
    id: z.string(),
    version: z.number().nullable(),
    state: z.enum(["pending", "committed"]),
    size: z.number(),
    file_count: z.number(),
    metadata: z.record(z.string(), z.unknown()),
    description: z.string(),
    aliases: z.array(z.string()),
    created_at: timestamp,
    committed_at: timestamp.nullable(),
  })
  .openapi("ArtifactVersion");

export const fileSchema = z
  .object({ path: z.string(), size: z.number(), sha256: z.string(), url: z.string().optional() })
  .openapi("ArtifactFile");

export const runRefSchema = z.object({ id: z.string(), name: z.string(), project_id: z.string() });
export const lineageSchema = z.object({ artifact: z.string(), type: z.string(), project_id: z.string(), version_id: z.string(), version: z.number() });

export const artifactJson = (a: Artifact) => ({
  id: a.id,
  project_id: a.projectId,
  name: a.name,
  type: a.type,
  description: a.description,
  latest_version: a.lastVersion,
  created_at: a.createdAt.toISOString(),
  updated_at: a.updatedAt.toISOString(),
});

export const versionJson = (v: Version, aliases: string[] = []) => ({
  id: v.id,
  version: v.version,
  state: v.state,
  size: v.size,
  file_count: v.fileCount,
  metadata: v.metadata,
  description: v.description,
  aliases,
  created_at: v.createdAt.toISOString(),
  committed_at: v.committedAt?.toISOString() ?? null,
});
