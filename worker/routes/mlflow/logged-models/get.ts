import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { getLoggedModel } from "../../../services/logged-models";
import { queryBool } from "../lib/request";
import { loggedModelEnvelope, loggedModelJson, modelIdParams, notSearch } from "./schema";

const route = createRoute({
  method: "get",
  path: "/logged-models/{model_id}",
  summary: "MLflow 3: get a logged model (deleted ones only with allow_deleted=true)",
  security: bearerSecurity,
  middleware: [...guard("read"), notSearch],
  request: { params: modelIdParams, query: z.object({ allow_deleted: queryBool.optional() }) },
  responses: { 200: jsonContent(loggedModelEnvelope), ...authErrors },
});

export const getLoggedModelRoute = newRouter().openapi(route, async (c) => {
  const model = await getLoggedModel(c.get("db"), c.get("principal").teamId, c.req.valid("param").model_id, c.req.valid("query").allow_deleted ?? false);
  return c.json({ model: loggedModelJson(model) }, 200);
});
