import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { ApiError } from "../../lib/errors";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listChildren } from "../../services/artifacts/mlflow-files";
import { resolveTarget } from "../../services/artifacts/mlflow-paths";
import { fileInfo } from "./schema";

// The direct children of a directory, named by their base names (MLflow's
// ListArtifacts on the artifact service). A file or an empty directory lists nothing.
const route = createRoute({
  method: "get",
  path: "/artifacts",
  summary: "List artifacts under a path",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ path: z.string().optional() }) },
  responses: { 200: jsonContent(z.object({ files: z.array(fileInfo).optional() })), ...authErrors },
});

export const listArtifactsRoute = newRouter().openapi(route, async (c) => {
  const path = c.req.valid("query").path;
  if (!path) throw new ApiError("not_found", "the artifact root is not listable: give path=<experiment id>/<run id>/artifacts[/dir]");
  const target = await resolveTarget(c.get("db"), c.get("principal").teamId, path);
  const children = await listChildren(c.get("db"), target);
  const files = children.map((f) => ({ path: f.name, is_dir: f.isDir, ...(f.size === null ? {} : { file_size: f.size }) }));
  return c.json(files.length ? { files } : {}, 200);
});
