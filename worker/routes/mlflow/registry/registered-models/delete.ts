import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { deleteModel } from "../../../../services/registry/models";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";
import { deleteRequest } from "../schema";
import { audit } from "../../../../lib/audit-context";

const fields = z.object({ name: z.string().optional() });

const route = createRoute({
  method: "delete",
  path: "/registered-models/delete",
  summary: "MLflow: delete a registered model with its versions and aliases",
  security: bearerSecurity,
  middleware: guard("write"),
  request: deleteRequest(fields),
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteRegisteredModelRoute = newRouter().openapi(route, async (c) => {
  const req = { ...c.req.valid("query"), ...c.req.valid("json") };
  await deleteModel(c.get("db"), c.get("principal").teamId, required(req.name, "name"));
  await audit(c, { action: "registered_model.delete", resourceType: "registered_model", resourceId: req.name, details: { via: "mlflow" } });
  return c.json({}, 200);
});
