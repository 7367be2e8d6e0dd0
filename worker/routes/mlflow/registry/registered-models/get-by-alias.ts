import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { versionByAlias } from "../../../../services/registry/aliases";
import { required } from "../../lib/request";
import { modelVersionEnvelope, versionOut } from "../schema";

const route = createRoute({
  method: "get",
  path: "/registered-models/alias",
  summary: "MLflow: the model version an alias points at ('latest': the newest version)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ name: z.string().optional(), alias: z.string().optional() }) },
  responses: { 200: jsonContent(modelVersionEnvelope), ...authErrors },
});

export const getModelVersionByAliasRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const version = await versionByAlias(c.get("db"), teamId, required(q.name, "name"), required(q.alias, "alias"));
  return c.json(await versionOut(c.get("db"), teamId, version), 200);
});
