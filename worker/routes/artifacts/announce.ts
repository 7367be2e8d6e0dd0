import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { requireStore } from "../../lib/presign";
import { announceVersion } from "../../services/artifacts/versions";
import { announceBody, artifactJson, artifactParams, artifactSchema, uploadSchema, versionJson, versionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/projects/{project}/artifacts/{name}/versions",
  summary: "Start a new version: announce its files, get presigned upload URLs for content not yet stored",
  description:
    "Creates the artifact on first use. Files of 64 MiB and more get one presigned URL per part. PUT the bytes, then commit. URLs expire in 15 minutes.",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: artifactParams, body: jsonBody(announceBody) },
  responses: {
    201: jsonContent(z.object({ artifact: artifactSchema, version: versionSchema, uploads: z.array(uploadSchema) }), "Created"),
    ...authErrors,
  },
});

export const announceVersionRoute = newRouter().openapi(route, async (c) => {
  const store = requireStore(c.get("storage"));
  const { project, name } = c.req.valid("param");
  const out = await announceVersion(c.get("db"), store, c.get("principal").teamId, project, name, c.req.valid("json"));
  return c.json({ artifact: artifactJson(out.artifact), version: versionJson(out.version), uploads: out.uploads }, 201);
});
