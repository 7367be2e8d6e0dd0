import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { deleteLoggedModel } from "../../../services/logged-models";
import { emptyResponse } from "../experiments/schema";
import { modelIdParams, notSearch } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/logged-models/{model_id}",
  summary: "MLflow 3: delete a logged model (soft: get with allow_deleted still finds it)",
  security: bearerSecurity,
  middleware: [...guard("write"), notSearch],
  request: { params: modelIdParams },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteLoggedModelRoute = newRouter().openapi(route, async (c) => {
  await deleteLoggedModel(c.get("db"), c.get("principal").teamId, c.req.valid("param").model_id);
  return c.json({}, 200);
});
