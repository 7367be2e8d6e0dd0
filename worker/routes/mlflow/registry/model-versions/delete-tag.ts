import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { deleteVersionTag } from "../../../../services/registry/versions";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";
import { deleteRequest, versionField } from "../schema";

const fields = z.object({ name: z.string().optional(), version: versionField, key: z.string().optional() });

const route = createRoute({
  method: "delete",
  path: "/model-versions/delete-tag",
  summary: "MLflow: delete a model version's tag",
  security: bearerSecurity,
  middleware: guard("write"),
  request: deleteRequest(fields),
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteModelVersionTagRoute = newRouter().openapi(route, async (c) => {
  const req = { ...c.req.valid("query"), ...c.req.valid("json") };
  const [name, version, key] = [required(req.name, "name"), required(req.version, "version"), required(req.key, "key")];
  await deleteVersionTag(c.get("db"), c.get("principal").teamId, name, version, key);
  return c.json({}, 200);
});
