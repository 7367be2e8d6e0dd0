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
  path: "/runs/delete",
  summary: "MLflow: delete a run (soft: it stays readable and can be restored)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(runRefBody) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const deleteRunRoute = newRouter().openapi(route, async (c) => {
  await setRunDeleted(c.get("db"), c.get("principal").teamId, runIdOf(c.req.valid("json")), true);
  await audit(c, { action: "run.delete", resourceType: "run", resourceId: runIdOf(c.req.valid("json")), details: { via: "mlflow", soft: true } });
  return c.json({}, 200);
});
