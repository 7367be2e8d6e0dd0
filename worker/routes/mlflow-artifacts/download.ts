import { createRoute } from "@hono/zod-openapi";
import { authErrors } from "../../lib/openapi";
import { objectKey, presignGet, requireStore } from "../../lib/presign";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { findFile } from "../../services/artifacts/mlflow-files";
import { requireFile, resolveTarget } from "../../services/artifacts/mlflow-paths";
import { artifactPathParams, documentAs, slashed } from "./schema";

// The bytes never pass through the Worker: the answer is a redirect to a
// presigned GET. The client's HTTP library follows it and, the host or port
// being another, drops its Authorization header (the URL carries its own).
const route = createRoute({
  method: "get",
  path: "/artifacts/{path}",
  summary: "Download an artifact (redirects to a presigned URL)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: artifactPathParams },
  responses: { 302: { description: "Location: a presigned GET of the file's object" }, ...authErrors },
});

export const downloadArtifactRoute = documentAs(
  newRouter().openapi(slashed(route), async (c) => {
    const raw = c.req.valid("param").path;
    const teamId = c.get("principal").teamId;
    const target = requireFile(await resolveTarget(c.get("db"), teamId, raw), raw);
    const file = await findFile(c.get("db"), target);
    const url = await presignGet(requireStore(c.get("storage")), objectKey(teamId, file.sha256));
    return c.redirect(url, 302);
  }),
  route,
);
