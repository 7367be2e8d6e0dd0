import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { deleteVersion, getArtifactInTeam, resolveVersion } from "../../services/artifacts/versions";
import { audit } from "../../lib/audit-context";
import { versionParams } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/projects/{project}/artifacts/{name}/versions/{version}",
  summary: "Delete a version; objects no other version uses are freed by garbage collection",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: versionParams },
  responses: { 204: noContent, ...authErrors },
});

export const deleteVersionRoute = newRouter().openapi(route, async (c) => {
  const { project, name, version: ref } = c.req.valid("param");
  const [db, teamId] = [c.get("db"), c.get("principal").teamId];
  const artifact = await getArtifactInTeam(db, teamId, project, name);
  const version = await resolveVersion(db, teamId, artifact, ref);
  await deleteVersion(db, teamId, artifact, version, (tx) =>
    audit(c, { action: "artifact.version_delete", resourceType: "artifact", resourceId: artifact.id, details: { version: version.version, version_id: version.id } }, tx),
  );
  return c.body(null, 204);
});
