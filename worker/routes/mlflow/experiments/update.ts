import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { updateProject } from "../../../services/projects";
import { MlflowError } from "../lib/errors";
import { experimentProject } from "../lib/experiments";
import { required } from "../lib/request";
import { checkExperimentName, emptyResponse, experimentIdField } from "./schema";

const body = z.object({ experiment_id: experimentIdField, new_name: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/experiments/update",
  summary: "MLflow: rename an experiment",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const updateExperimentRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const id = required(req.experiment_id, "experiment_id");
  const newName = checkExperimentName(required(req.new_name, "new_name"), "new_name");
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const project = await experimentProject(db, teamId, id);
  if (project.deletedAt) throw new MlflowError("INVALID_STATE", "Cannot rename a non-active experiment.");
  // A taken name is RESOURCE_ALREADY_EXISTS (the service's conflict).
  if (newName !== project.name) await updateProject(db, teamId, project.id, { name: newName });
  return c.json({}, 200);
});
