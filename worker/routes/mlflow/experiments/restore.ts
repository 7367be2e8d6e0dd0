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
  path: "/experiments/restore",
  summary: "MLflow: restore a deleted experiment and the runs deleted with it",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(z.object({ experiment_id: experimentIdField })) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const restoreExperimentRoute = newRouter().openapi(route, async (c) => {
  const id = required(c.req.valid("json").experiment_id, "experiment_id");
  const teamId = c.get("principal").teamId;
  const project = await experimentProject(c.get("db"), teamId, id);
  // An active one reads as missing, as in MLflow (it looks among deleted experiments).
  if (!(await setProjectDeleted(c.get("db"), teamId, project.id, false))) throw doesNotExist(`No Experiment with id=${id} exists`);
  await audit(c, { action: "project.restore", resourceType: "project", resourceId: project.id, details: { via: "mlflow", name: project.name } });
  return c.json({}, 200);
});
