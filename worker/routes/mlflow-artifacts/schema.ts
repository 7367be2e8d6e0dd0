import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";

// MLflow's artifact paths keep their slashes (<experiment>/<run>/artifacts/a/b.txt)
// in one path parameter. The OpenAPI document names it "{path}"; Hono must
// match it as "/:path{.+}" (slashes included). So a route is registered with
// the regex form for routing, then its document entry is given back the plain
// template, and it stays an ordinary documented OpenAPI route.
export function slashed<R extends { path: string }>(route: R): R {
  return { ...route, path: route.path.replace("{path}", "{path{.+}}") };
}

export function documentAs<R extends OpenAPIHono<AppEnv>>(router: R, route: { path: string }): R {
  for (const def of router.openAPIRegistry.definitions) {
    if (def.type === "route" && def.route.path === slashed(route).path) def.route.path = route.path;
  }
  return router;
}

export const artifactPathParams = z.object({
  path: z
    .string()
    .min(1)
    .openapi({ param: { name: "path", in: "path" }, description: "<experiment id>/<run id>/artifacts/<file>, or <experiment id>/models/<model id>/artifacts/<file>", example: "prj_1/run_1/artifacts/model/MLmodel" }),
});

// MLflow's message bodies (mlflow/protos/mlflow_artifacts.proto). Responses
// carry only the proto's fields; empty lists are left out, as MLflow's server does.
export const fileInfo = z.object({
  path: z.string(),
  is_dir: z.boolean(),
  file_size: z.number().int().optional(),
});

export const empty = z.object({});

export const uploadIdField = z.string().min(1).max(2048);

// The multipart calls name the directory in the URL and the client's local
// file in the body (MLflow stores the upload at <directory>/<file's base name>).
export const localFile = z.string().min(1, "Missing value for required parameter 'path'").max(4096);
export const baseName = (local: string) => local.split(/[\\/]/).filter(Boolean).pop() ?? "";
