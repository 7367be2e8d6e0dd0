import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { deleteLoggedModelTag } from "../../../services/logged-models";
import { emptyResponse } from "../experiments/schema";
import { modelIdParams } from "./schema";

const params = modelIdParams.extend({ tag_key: z.string().openapi({ param: { name: "tag_key", in: "path" } }) });

const route = createRoute({
  method: "delete",
  path: "/logged-models/{model_id}/tags/{tag_key}",
  summary: "MLflow 3: delete a logged model's tag (404 when it has none by that key)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteLoggedModelTagRoute = newRouter().openapi(route, async (c) => {
  const { model_id, tag_key } = c.req.valid("param");
  await deleteLoggedModelTag(c.get("db"), c.get("principal").teamId, model_id, tag_key);
  return c.json({}, 200);
});
