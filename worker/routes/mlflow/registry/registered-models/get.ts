import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { getModel } from "../../../../services/registry/models";
import { required } from "../../lib/request";
import { modelOut, registeredModelEnvelope } from "../schema";

const route = createRoute({
  method: "get",
  path: "/registered-models/get",
  summary: "MLflow: get a registered model by name, with its latest versions and aliases",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ name: z.string().optional() }) },
  responses: { 200: jsonContent(registeredModelEnvelope), ...authErrors },
});

export const getRegisteredModelRoute = newRouter().openapi(route, async (c) => {
  const teamId = c.get("principal").teamId;
  const model = await getModel(c.get("db"), teamId, required(c.req.valid("query").name, "name"));
  return c.json(await modelOut(c.get("db"), teamId, model), 200);
});
