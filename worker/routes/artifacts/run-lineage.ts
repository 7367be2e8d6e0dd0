import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { runLineage } from "../../services/artifacts/lineage";
import { lineageSchema, runParams } from "./schema";

const route = createRoute({
  method: "get",
  path: "/runs/{run}/artifacts",
  summary: "The artifact versions a run used and produced",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: runParams },
  responses: { 200: jsonContent(z.object({ inputs: z.array(lineageSchema), outputs: z.array(lineageSchema) })), ...authErrors },
});

export const runLineageRoute = newRouter().openapi(route, async (c) => {
  return c.json(await runLineage(c.get("db"), c.get("principal").teamId, c.req.valid("param").run), 200);
});
