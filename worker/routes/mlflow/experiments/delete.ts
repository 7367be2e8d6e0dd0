import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { setProjectDeleted } from "../../../services/experiments";
import { doesNotExist } from "../lib/errors";
import { experimentProject } from "../lib/experiments";
import { required } from "../lib/request";
import { emptyResponse, experimentIdField } from "./schema";
import { audit } from "../../../lib/audit-context";

const route = createRoute({
  method: "post",
  path: "/experiments/delete",
  summary: "MLflow: soft-delete an experiment and its runs (restorable; the name stays taken)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(z.object({ experiment_id: experimentIdField })) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteExperimentRoute = newRouter().openapi(route, async (c) => {
  const id = required(c.req.valid("json").experiment_id, "experiment_id");
  const teamId = c.get("principal").teamId;
  const project = await experimentProject(c.get("db"), teamId, id);
  // Already deleted reads as missing, as in MLflow (it looks among active experiments).
  if (!(await setProjectDeleted(c.get("db"), teamId, project.id, true))) throw doesNotExist(`No Experiment with id=${id} exists`);
  await audit(c, { action: "project.delete", resourceType: "project", resourceId: project.id, details: { via: "mlflow", soft: true, name: project.name } });
  return c.json({}, 200);
});
