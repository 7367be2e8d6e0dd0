import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { deleteVersion, getArtifactInTeam, resolveVersion } from "../../services/artifacts/versions";
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
  await deleteVersion(db, teamId, artifact, await resolveVersion(db, teamId, artifact, ref));
  return c.body(null, 204);
});
