import { createRoute } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { setRunDeleted } from "../../../services/runs";
import { runIdOf } from "../lib/request";
import { emptyReply, mlflowErrors, runRefBody } from "./schema";
import { audit } from "../../../lib/audit-context";

const route = createRoute({
  method: "post",
  path: "/runs/restore",
  summary: "MLflow: restore a deleted run",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(runRefBody) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const restoreRunRoute = newRouter().openapi(route, async (c) => {
  await setRunDeleted(c.get("db"), c.get("principal").teamId, runIdOf(c.req.valid("json")), false);
  await audit(c, { action: "run.restore", resourceType: "run", resourceId: runIdOf(c.req.valid("json")), details: { via: "mlflow" } });
  return c.json({}, 200);
});
