import { createRoute } from "@hono/zod-openapi";
import { authErrors, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { removeAlias } from "../../services/artifacts/aliases";
import { getArtifactInTeam } from "../../services/artifacts/versions";
import { aliasParams } from "./schema";
import { audit } from "../../lib/audit-context";

const route = createRoute({
  method: "delete",
  path: "/projects/{project}/artifacts/{name}/aliases/{alias}",
  summary: "Remove an alias",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: aliasParams },
  responses: { 204: noContent, ...authErrors },
});

export const removeAliasRoute = newRouter().openapi(route, async (c) => {
  const { project, name, alias } = c.req.valid("param");
  const artifact = await getArtifactInTeam(c.get("db"), c.get("principal").teamId, project, name);
  await removeAlias(c.get("db"), c.get("principal").teamId, artifact, alias);
  await audit(c, { action: "artifact.alias_remove", resourceType: "artifact", resourceId: artifact.id, details: { alias } });
  return c.body(null, 204);
});
