import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { downloadUri } from "../../../../services/registry/sources";
import { getVersion } from "../../../../services/registry/versions";
import { required } from "../../lib/request";

const route = createRoute({
  method: "get",
  path: "/model-versions/get-download-uri",
  summary: "MLflow: where a model version's files can be read (an mlflow-artifacts:/ URI for the team's runs and logged models)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ name: z.string().optional(), version: z.string().optional() }) },
  responses: { 200: jsonContent(z.object({ artifact_uri: z.string() })), ...authErrors },
});

export const getModelVersionDownloadUriRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const version = await getVersion(c.get("db"), teamId, required(q.name, "name"), required(q.version, "version"));
  return c.json({ artifact_uri: await downloadUri(c.get("db"), teamId, version) }, 200);
});
