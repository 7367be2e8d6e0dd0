import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { updateModelDescription } from "../../../../services/registry/models";
import { required } from "../../lib/request";
import { modelOut, registeredModelEnvelope } from "../schema";

const body = z.object({ name: z.string().optional(), description: z.string().optional() });

const route = createRoute({
  method: "patch",
  path: "/registered-models/update",
  summary: "MLflow: update a registered model's description",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(registeredModelEnvelope), ...authErrors },
});

export const updateRegisteredModelRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const model = await updateModelDescription(c.get("db"), teamId, required(req.name, "name"), req.description ?? "");
  return c.json(await modelOut(c.get("db"), teamId, model), 200);
});
