import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { requireStore } from "../../lib/presign";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { resolveTarget, withChild } from "../../services/artifacts/mlflow-paths";
import { abortUpload } from "../../services/artifacts/mlflow-upload";
import { artifactPathParams, baseName, documentAs, empty, localFile, slashed, uploadIdField } from "./schema";

// Drops the parts uploaded so far; aborting an upload that is gone is not an error.
const route = createRoute({
  method: "post",
  path: "/mpu/abort/{path}",
  summary: "Abort a multipart artifact upload",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: artifactPathParams, body: jsonBody(z.object({ path: localFile, upload_id: uploadIdField })) },
  responses: { 200: jsonContent(empty), ...authErrors },
});

export const abortMultipartRoute = documentAs(
  newRouter().openapi(slashed(route), async (c) => {
    const body = c.req.valid("json");
    const dir = await resolveTarget(c.get("db"), c.get("principal").teamId, c.req.valid("param").path);
    withChild(dir, baseName(body.path));
    await abortUpload(requireStore(c.get("storage")), dir, body.upload_id);
    return c.json({}, 200);
  }),
  route,
);
