import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { requireStore } from "../../lib/presign";
import { announceRunFiles } from "../../services/artifacts/run-files";
import { runFilesBody, runParams, uploadSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/runs/{run}/files",
  summary: "Announce loose files for a run; presigned upload URLs for content not yet stored",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(runFilesBody) },
  responses: { 201: jsonContent(z.object({ uploads: z.array(uploadSchema) }), "Announced"), ...authErrors },
});

export const announceRunFilesRoute = newRouter().openapi(route, async (c) => {
  const store = requireStore(c.get("storage"));
  const uploads = await announceRunFiles(c.get("db"), store, c.get("principal").teamId, c.req.valid("param").run, c.req.valid("json").files);
  return c.json({ uploads }, 201);
});
