import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { checkAlias } from "../../services/artifacts/aliases";
import { aliasesByVersion, getArtifactInTeam, pointAlias, resolveVersion } from "../../services/artifacts/versions";
import { aliasBody, aliasParams, versionJson, versionSchema } from "./schema";
import { audit } from "../../lib/audit-context";

const route = createRoute({
  method: "put",
  path: "/projects/{project}/artifacts/{name}/aliases/{alias}",
  summary: "Point an alias (best, production, ...) at a version, moving it if it exists",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: aliasParams, body: jsonBody(aliasBody) },
  responses: { 200: jsonContent(z.object({ version: versionSchema })), ...authErrors },
});

export const setAliasRoute = newRouter().openapi(route, async (c) => {
  const { project, name, alias } = c.req.valid("param");
  checkAlias(alias);
  const [db, teamId] = [c.get("db"), c.get("principal").teamId];
  const artifact = await getArtifactInTeam(db, teamId, project, name);
  const version = await resolveVersion(db, teamId, artifact, c.req.valid("json").version);
  await pointAlias(db, teamId, artifact.id, alias, version.id);
  await audit(c, { action: "artifact.alias_set", resourceType: "artifact", resourceId: artifact.id, details: { alias, version: version.version, version_id: version.id } });
  const aliases = await aliasesByVersion(db, teamId, artifact.id);
  return c.json({ version: versionJson(version, aliases.get(version.id)) }, 200);
});
