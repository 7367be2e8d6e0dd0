import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { setAlias } from "../../../../services/registry/aliases";
import { emptyResponse } from "../../experiments/schema";
import { required } from "../../lib/request";
import { versionField } from "../schema";

const body = z.object({ name: z.string().optional(), alias: z.string().optional(), version: versionField });

const route = createRoute({
  method: "post",
  path: "/registered-models/alias",
  summary: "MLflow: point an alias of a registered model at a version (moves it if set)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const setRegisteredModelAliasRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const name = required(req.name, "name");
  await setAlias(c.get("db"), c.get("principal").teamId, name, required(req.alias, "alias"), required(req.version, "version"));
  return c.json({}, 200);
});
