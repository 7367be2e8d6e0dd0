import { createRoute } from "@hono/zod-openapi";
import { authErrors, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { deleteRun } from "../../services/runs";
import { runParams } from "./schema";
import { audit } from "../../lib/audit-context";

const route = createRoute({
  method: "delete",
  path: "/runs/{run}",
  summary: "Delete a run with its metrics, console output and summary",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams },
  responses: { 204: noContent, ...authErrors },
});

export const deleteRunRoute = newRouter().openapi(route, async (c) => {
  await deleteRun(c.get("db"), c.get("principal").teamId, c.req.valid("param").run);
  await audit(c, { action: "run.delete", resourceType: "run", resourceId: c.req.valid("param").run });
  return c.body(null, 204);
});
