import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { setLoggedModelTags } from "../../../services/logged-models";
import { emptyResponse } from "../experiments/schema";
import { kvInput, modelIdParams } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/logged-models/{model_id}/tags",
  summary: "MLflow 3: set tags on a logged model (last write wins)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: modelIdParams, body: jsonBody(z.object({ model_id: z.string().optional(), tags: kvInput })) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const setLoggedModelTagsRoute = newRouter().openapi(route, async (c) => {
  await setLoggedModelTags(c.get("db"), c.get("principal").teamId, c.req.valid("param").model_id, c.req.valid("json").tags ?? []);
  return c.json({}, 200);
});
