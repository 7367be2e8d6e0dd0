import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { createModel } from "../../../../services/registry/models";
import { required } from "../../lib/request";
import { modelOut, registeredModelEnvelope, tagInput } from "../schema";

const body = z.object({ name: z.string().optional(), tags: tagInput, description: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/registered-models/create",
  summary: "MLflow: create a registered model (name unique in the team)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(registeredModelEnvelope), ...authErrors },
});

export const createRegisteredModelRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const model = await createModel(c.get("db"), teamId, { name: required(req.name, "name"), description: req.description, tags: req.tags });
  return c.json(await modelOut(c.get("db"), teamId, model), 200);
});
