import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { renameModel } from "../../../../services/registry/models";
import { required } from "../../lib/request";
import { modelOut, registeredModelEnvelope } from "../schema";

const body = z.object({ name: z.string().optional(), new_name: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/registered-models/rename",
  summary: "MLflow: rename a registered model (its versions and aliases follow)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(registeredModelEnvelope), ...authErrors },
});

export const renameRegisteredModelRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const model = await renameModel(c.get("db"), teamId, required(req.name, "name"), required(req.new_name, "new_name"));
  return c.json(await modelOut(c.get("db"), teamId, model), 200);
});
