import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { deleteVersion } from "../../../../services/registry/versions";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";
import { deleteRequest, versionField } from "../schema";
import { audit } from "../../../../lib/audit-context";

const fields = z.object({ name: z.string().optional(), version: versionField });

const route = createRoute({
  method: "delete",
  path: "/model-versions/delete",
  summary: "MLflow: delete a model version and the aliases that point at it",
  security: bearerSecurity,
  middleware: guard("write"),
  request: deleteRequest(fields),
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteModelVersionRoute = newRouter().openapi(route, async (c) => {
  const req = { ...c.req.valid("query"), ...c.req.valid("json") };
  await deleteVersion(c.get("db"), c.get("principal").teamId, required(req.name, "name"), required(req.version, "version"));
  await audit(c, { action: "model_version.delete", resourceType: "model_version", resourceId: `${req.name}/${req.version}`, details: { via: "mlflow", name: req.name, version: req.version } });
  return c.json({}, 200);
});
