import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { logLoggedModelParams } from "../../../services/logged-models";
import { emptyResponse } from "../experiments/schema";
import { kvInput, modelIdParams } from "./schema";

const route = createRoute({
  method: "post",
  path: "/logged-models/{model_id}/params",
  summary: "MLflow 3: log parameters of a logged model (the client sends them 100 at a time)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: modelIdParams, body: jsonBody(z.object({ model_id: z.string().optional(), params: kvInput })) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const logLoggedModelParamsRoute = newRouter().openapi(route, async (c) => {
  await logLoggedModelParams(c.get("db"), c.get("principal").teamId, c.req.valid("param").model_id, c.req.valid("json").params ?? []);
  return c.json({}, 200);
});
