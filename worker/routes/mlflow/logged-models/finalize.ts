import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { finalizeLoggedModel } from "../../../services/logged-models";
import { loggedModelEnvelope, loggedModelJson, modelIdParams, notSearch, statusOf } from "./schema";

const body = z.object({ model_id: z.string().optional(), status: z.union([z.string(), z.number().int()]).optional() });

const route = createRoute({
  method: "patch",
  path: "/logged-models/{model_id}",
  summary: "MLflow 3: finalize a logged model once its files are uploaded (LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED)",
  security: bearerSecurity,
  middleware: [...guard("write"), notSearch],
  request: { params: modelIdParams, body: jsonBody(body) },
  responses: { 200: jsonContent(loggedModelEnvelope), ...authErrors },
});

export const finalizeLoggedModelRoute = newRouter().openapi(route, async (c) => {
  // The path names the model; the body's model_id (the client repeats it) is not needed.
  const status = statusOf(c.req.valid("json").status);
  const model = await finalizeLoggedModel(c.get("db"), c.get("principal").teamId, c.req.valid("param").model_id, status);
  return c.json({ model: loggedModelJson(model) }, 200);
});
