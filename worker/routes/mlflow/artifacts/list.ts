import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { listChildren } from "../../../services/artifacts/mlflow-files";
import { safeSegments, type ArtifactTarget } from "../../../services/artifacts/mlflow-paths";
import { getRunInTeam } from "../../../services/run-lookup";
import { doesNotExist } from "../lib/errors";
import { runIdOf, runRef } from "../lib/request";
import { runInfo } from "../lib/serialize-run";

// MLflow's ListArtifacts for a run: the direct children of `path` under the
// run's artifact root, named by their paths from that root. The run's files
// are its native run files, so files the SDK logged list here too. Like
// MLflow's own server for proxied roots, everything comes in one page.
const route = createRoute({
  method: "get",
  path: "/artifacts/list",
  summary: "List a run's artifacts (MLflow)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ ...runRef, path: z.string().optional(), page_token: z.string().optional() }) },
  responses: {
    200: jsonContent(
      z.object({
        root_uri: z.string(),
        files: z.array(z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().int().optional() })).optional(),
        next_page_token: z.string().optional(),
      }),
    ),
    ...authErrors,
  },
});

export const listRunArtifactsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const runId = runIdOf(q);
  const teamId = c.get("principal").teamId;
  const rel = q.path ? safeSegments(q.path).join("/") : "";
  const run = await getRunInTeam(c.get("db"), teamId, runId).catch(() => {
    throw doesNotExist(`Run with id=${runId} not found`);
  });
  const target: ArtifactTarget = { kind: "run", teamId, projectId: run.projectId, runId, rel };
  const files = (await listChildren(c.get("db"), target)).map((f) => ({
    path: rel ? `${rel}/${f.name}` : f.name,
    is_dir: f.isDir,
    ...(f.size === null ? {} : { file_size: f.size }),
  }));
  return c.json({ root_uri: runInfo(run).artifact_uri, ...(files.length ? { files } : {}) }, 200);
});
