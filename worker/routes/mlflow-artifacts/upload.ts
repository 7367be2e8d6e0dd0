import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { ApiError } from "../../lib/errors";
import { requireStore } from "../../lib/presign";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { requireFile, resolveTarget } from "../../services/artifacts/mlflow-paths";
import { MAX_PUT_BYTES, uploadStream } from "../../services/artifacts/mlflow-upload";
import { artifactPathParams, documentAs, empty, slashed } from "./schema";

// log_artifact's upload: the file's bytes as the raw body (app.ts lets this
// prefix past the JSON middleware; the cap is checked here, from Content-Length,
// before a byte is read). In production Cloudflare caps request bodies (100 MB
// on most plans); bigger files go through mpu/create with presigned parts.
const route = createRoute({
  method: "put",
  path: "/artifacts/{path}",
  summary: "Upload an artifact (MLflow proxied artifact service)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: {
    params: artifactPathParams,
    body: { content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
  },
  responses: { 200: jsonContent(empty), 413: { description: "Body larger than a single upload may be" }, ...authErrors },
});

export const uploadArtifactRoute = documentAs(
  newRouter().openapi(slashed(route), async (c) => {
    const raw = c.req.valid("param").path;
    const target = requireFile(await resolveTarget(c.get("db"), c.get("principal").teamId, raw), raw);
    const declared = c.req.header("content-length");
    if (declared === undefined || !/^\d{1,16}$/.test(declared)) {
      throw new ApiError("invalid_argument", "Content-Length is required: send the file with its length (chunked uploads are not accepted)");
    }
    const length = Number(declared);
    if (length > MAX_PUT_BYTES) {
      throw new ApiError("payload_too_large", `the file is ${length} bytes; one upload takes at most ${MAX_PUT_BYTES}; use multipart upload (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true)`);
    }
    await uploadStream(c.get("db"), requireStore(c.get("storage")), target, c.req.raw.body, length);
    return c.json({}, 200);
  }),
  route,
);
