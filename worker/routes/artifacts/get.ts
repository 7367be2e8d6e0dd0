import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { aliasesByVersion, getArtifactInTeam, listVersions } from "../../services/artifacts/versions";
import { artifactJson, artifactParams, artifactSchema, versionJson, versionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/projects/{project}/artifacts/{name}",
  summary: "Get an artifact with its versions (newest first) and their aliases",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: artifactParams },
  responses: { 200: jsonContent(z.object({ artifact: artifactSchema, versions: z.array(versionSchema) })), ...authErrors },
});

export const getArtifactRoute = newRouter().openapi(route, async (c) => {
  const { project, name } = c.req.valid("param");
  const [db, teamId] = [c.get("db"), c.get("principal").teamId];
  const artifact = await getArtifactInTeam(db, teamId, project, name);
  const [versions, aliases] = await Promise.all([listVersions(db, teamId, artifact.id), aliasesByVersion(db, teamId, artifact.id)]);
  return c.json({ artifact: artifactJson(artifact), versions: versions.map((v) => versionJson(v, aliases.get(v.id))) }, 200);
});
