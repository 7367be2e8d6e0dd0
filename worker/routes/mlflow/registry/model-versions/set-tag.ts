import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { setVersionTag } from "../../../../services/registry/versions";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";
import { versionField } from "../schema";

const body = z.object({ name: z.string().optional(), version: versionField, key: z.string().optional(), value: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/model-versions/set-tag",
  summary: "MLflow: set a tag on a model version (last write wins)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const setModelVersionTagRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const [name, version, key] = [required(req.name, "name"), required(req.version, "version"), required(req.key, "key")];
  await setVersionTag(c.get("db"), c.get("principal").teamId, name, version, key, req.value ?? "");
  return c.json({}, 200);
});
