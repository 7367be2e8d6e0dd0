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
// before a byte is read; a body without a length is read up to 16 MiB). In production Cloudflare caps request bodies (100 MB
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
    let body = c.req.raw.body;
    let length: number;
    if (declared === undefined) {
      // requests sends an empty file (an __init__.py) chunked, with no length:
      // such bodies are read up to a small cap so the store's PUT gets a length.
      const bytes = await readCapped(body, MAX_UNSIZED_BYTES);
      length = bytes.byteLength;
      body = new Blob([bytes]).stream();
    } else {
      if (!/^\d{1,16}$/.test(declared)) throw new ApiError("invalid_argument", `Content-Length '${declared}' is not a byte count`);
      length = Number(declared);
    }
    if (length > MAX_PUT_BYTES) {
      throw new ApiError("payload_too_large", `the file is ${length} bytes; one upload takes at most ${MAX_PUT_BYTES}; use multipart upload (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true)`);
    }
    await uploadStream(c.get("db"), requireStore(c.get("storage")), target, body, length);
    return c.json({}, 200);
  }),
  route,
);

// A body sent without Content-Length is held in memory, so it is capped.
const MAX_UNSIZED_BYTES = 16 * 1024 * 1024;

async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new ApiError("payload_too_large", `a body sent without Content-Length may be at most ${max} bytes; send the file's length`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
