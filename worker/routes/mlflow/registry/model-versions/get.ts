import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { getVersion } from "../../../../services/registry/versions";
import { required } from "../../lib/request";
import { modelVersionEnvelope, versionOut } from "../schema";

const route = createRoute({
  method: "get",
  path: "/model-versions/get",
  summary: "MLflow: get a model version",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ name: z.string().optional(), version: z.string().optional() }) },
  responses: { 200: jsonContent(modelVersionEnvelope), ...authErrors },
});

export const getModelVersionRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const version = await getVersion(c.get("db"), teamId, required(q.name, "name"), required(q.version, "version"));
  return c.json(await versionOut(c.get("db"), teamId, version), 200);
});
