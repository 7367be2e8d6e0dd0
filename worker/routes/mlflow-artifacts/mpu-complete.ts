import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { requireStore } from "../../lib/presign";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { resolveTarget, withChild } from "../../services/artifacts/mlflow-paths";
import { completeUpload } from "../../services/artifacts/mlflow-upload";
import { int64 } from "../mlflow/lib/request";
import { artifactPathParams, baseName, documentAs, empty, localFile, slashed, uploadIdField } from "./schema";

// Assembles the parts, hashes the result (read back once, streamed) and makes
// it the file at <directory>/<base name of path>, content-addressed like any other.
const part = z.object({ part_number: int64, etag: z.string().max(256).optional(), url: z.string().max(8192).optional() });

const route = createRoute({
  method: "post",
  path: "/mpu/complete/{path}",
  summary: "Complete a multipart artifact upload",
  security: bearerSecurity,
  middleware: guard("write"),
  request: {
    params: artifactPathParams,
    body: jsonBody(z.object({ path: localFile, upload_id: uploadIdField, parts: z.array(part).max(10_000) })),
  },
  responses: { 200: jsonContent(empty), ...authErrors },
});

export const completeMultipartRoute = documentAs(
  newRouter().openapi(slashed(route), async (c) => {
    const body = c.req.valid("json");
    const dir = await resolveTarget(c.get("db"), c.get("principal").teamId, c.req.valid("param").path);
    const target = withChild(dir, baseName(body.path));
    const numbers = body.parts.map((p) => p.part_number);
    await completeUpload(c.get("db"), requireStore(c.get("storage")), target, body.upload_id, numbers);
    return c.json({}, 200);
  }),
  route,
);
