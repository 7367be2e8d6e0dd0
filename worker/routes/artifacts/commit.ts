import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { requireStore } from "../../lib/presign";
import { aliasesByVersion, commitVersion } from "../../services/artifacts/versions";
import { versionJson, versionParams, versionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/projects/{project}/artifacts/{name}/versions/{version}/commit",
  summary: "Commit a pending version once its bytes are uploaded",
  description: "Checks every new object is stored with its announced size (completing multipart uploads), then numbers the version and moves latest. 409 names what is missing.",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: versionParams },
  responses: { 200: jsonContent(z.object({ version: versionSchema })), ...authErrors },
});

export const commitVersionRoute = newRouter().openapi(route, async (c) => {
  const { project, name, version } = c.req.valid("param");
  const [db, teamId] = [c.get("db"), c.get("principal").teamId];
  const out = await commitVersion(db, requireStore(c.get("storage")), teamId, project, name, version);
  const aliases = await aliasesByVersion(db, teamId, out.artifact.id);
  return c.json({ version: versionJson(out.version, aliases.get(out.version.id)) }, 200);
});
