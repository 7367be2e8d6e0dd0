import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { requireStore } from "../../lib/presign";
import { commitRunFiles } from "../../services/artifacts/run-files";
import { commitRunFilesBody, fileSchema, runParams } from "./schema";

const route = createRoute({
  method: "post",
  path: "/runs/{run}/files/commit",
  summary: "Commit announced run files once uploaded; answers the run's files",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(commitRunFilesBody) },
  responses: { 200: jsonContent(z.object({ files: z.array(fileSchema) })), ...authErrors },
});

export const commitRunFilesRoute = newRouter().openapi(route, async (c) => {
  const store = requireStore(c.get("storage"));
  const files = await commitRunFiles(c.get("db"), store, c.get("principal").teamId, c.req.valid("param").run, c.req.valid("json").paths);
  return c.json({ files: files.map(({ path, size, sha256 }) => ({ path, size, sha256 })) }, 200);
});
