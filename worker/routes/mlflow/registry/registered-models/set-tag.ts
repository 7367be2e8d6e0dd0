import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { setModelTag } from "../../../../services/registry/models";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";

const body = z.object({ name: z.string().optional(), key: z.string().optional(), value: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/registered-models/set-tag",
  summary: "MLflow: set a tag on a registered model (last write wins)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const setRegisteredModelTagRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  await setModelTag(c.get("db"), c.get("principal").teamId, required(req.name, "name"), required(req.key, "key"), req.value ?? "");
  return c.json({}, 200);
});
