import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { requireStore } from "../../lib/presign";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { resolveTarget, withChild } from "../../services/artifacts/mlflow-paths";
import { createUpload } from "../../services/artifacts/mlflow-upload";
import { int64 } from "../mlflow/lib/request";
import { artifactPathParams, baseName, documentAs, localFile, slashed } from "./schema";

// Starts a multipart upload whose parts the client PUTs straight to the store
// with the presigned URLs returned here: the bytes bypass the Worker, so files
// past Cloudflare's request-body cap still go up.
const route = createRoute({
  method: "post",
  path: "/mpu/create/{path}",
  summary: "Start a multipart artifact upload (presigned part URLs)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: artifactPathParams, body: jsonBody(z.object({ path: localFile, num_parts: int64.optional() })) },
  responses: {
    200: jsonContent(
      z.object({
        upload_id: z.string(),
        credentials: z.array(z.object({ part_number: z.number().int(), url: z.string(), headers: z.record(z.string(), z.string()) })),
      }),
    ),
    ...authErrors,
  },
});

export const createMultipartRoute = documentAs(
  newRouter().openapi(slashed(route), async (c) => {
    const body = c.req.valid("json");
    const dir = await resolveTarget(c.get("db"), c.get("principal").teamId, c.req.valid("param").path);
    const target = withChild(dir, baseName(body.path));
    return c.json(await createUpload(requireStore(c.get("storage")), target, body.num_parts ?? 1), 200);
  }),
  route,
);
