import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { objectKey, presignGet, requireStore } from "../../lib/presign";
import { mapLimit } from "../../services/artifacts/objects";
import { listRunFiles } from "../../services/artifacts/run-files";
import { fileSchema, runParams } from "./schema";

const route = createRoute({
  method: "get",
  path: "/runs/{run}/files",
  summary: "A run's files with presigned GET URLs",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: runParams },
  responses: { 200: jsonContent(z.object({ files: z.array(fileSchema) })), ...authErrors },
});

export const listRunFilesRoute = newRouter().openapi(route, async (c) => {
  const store = requireStore(c.get("storage"));
  const teamId = c.get("principal").teamId;
  const rows = await listRunFiles(c.get("db"), teamId, c.req.valid("param").run);
  const files = await mapLimit(rows, 16, async ({ path, size, sha256 }) => ({ path, size, sha256, url: await presignGet(store, objectKey(teamId, sha256)) }));
  return c.json({ files }, 200);
});
