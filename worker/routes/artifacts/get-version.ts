import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guardShare } from "../../middleware/auth";
import { mapLimit } from "../../services/artifacts/objects";
import { objectKey, presignGet, requireStore } from "../../lib/presign";
import { versionLineage } from "../../services/artifacts/lineage";
import { frozenArtifactVersion, shareArtifactAccess, shareLineage } from "../../services/share-artifacts";
import { aliasesByVersion, getArtifactInTeam, resolveVersion, versionFiles } from "../../services/artifacts/versions";
import { artifactJson, artifactSchema, fileSchema, runRefSchema, versionJson, versionParams, versionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/projects/{project}/artifacts/{name}/versions/{version}",
  summary: "Resolve name:alias or name:v3 to a version, with its files (presigned GET URLs) and lineage",
  security: bearerSecurity,
  // A share link reads the versions its report's artifact blocks name (and only their files).
  middleware: guardShare("read"),
  request: { params: versionParams },
  responses: {
    200: jsonContent(
      z.object({
        artifact: artifactSchema,
        version: versionSchema,
        files: z.array(fileSchema),
        produced_by: runRefSchema.nullable(),
        used_by: z.array(runRefSchema),
      }),
    ),
    ...authErrors,
  },
});

export const getVersionRoute = newRouter().openapi(route, async (c) => {
  const { project, name, version: ref } = c.req.valid("param");
  const [db, teamId] = [c.get("db"), c.get("principal").teamId];
  const store = requireStore(c.get("storage"));
  const artifact = await getArtifactInTeam(db, teamId, project, name);
  // A frozen share link's block ref names the version it named when shared.
  const version = (await frozenArtifactVersion(c, artifact, ref)) ?? (await resolveVersion(db, teamId, artifact, ref));
  const shared = await shareArtifactAccess(c, artifact, version);
  const aliases = await aliasesByVersion(db, teamId, artifact.id);
  const files = (await versionFiles(db, teamId, version.id)).filter((f) => !shared?.paths || shared.paths.has(f.path));
  const lineage = shareLineage(c, await versionLineage(db, teamId, version.id));
  const withUrls = await mapLimit(files, 16, async (f) => ({ ...f, url: await presignGet(store, objectKey(teamId, f.sha256)) }));
  return c.json(
    { artifact: artifactJson(artifact), version: versionJson(version, aliases.get(version.id)), files: withUrls, ...lineage },
    200,
  );
});
