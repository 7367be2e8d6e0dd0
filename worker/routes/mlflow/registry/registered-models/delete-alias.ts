import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { deleteAlias } from "../../../../services/registry/aliases";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";
import { deleteRequest } from "../schema";

const fields = z.object({ name: z.string().optional(), alias: z.string().optional() });

const route = createRoute({
  method: "delete",
  path: "/registered-models/alias",
  summary: "MLflow: delete an alias of a registered model",
  security: bearerSecurity,
  middleware: guard("write"),
  request: deleteRequest(fields),
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteRegisteredModelAliasRoute = newRouter().openapi(route, async (c) => {
  const req = { ...c.req.valid("query"), ...c.req.valid("json") };
  await deleteAlias(c.get("db"), c.get("principal").teamId, required(req.name, "name"), required(req.alias, "alias"));
  return c.json({}, 200);
});
