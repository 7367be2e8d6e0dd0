import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { createLoggedModel } from "../../../services/logged-models";
import { activeExperiment, experimentIdField } from "../experiments/schema";
import { required } from "../lib/request";
import { kvInput, loggedModelEnvelope, loggedModelJson } from "./schema";

const body = z.object({
  experiment_id: experimentIdField,
  name: z.string().optional(),
  model_type: z.string().optional(),
  source_run_id: z.string().optional(),
  params: kvInput,
  tags: kvInput,
});

const route = createRoute({
  method: "post",
  path: "/logged-models",
  summary: "MLflow 3: create a logged model (PENDING) in an experiment; its files go under its artifact_uri",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(loggedModelEnvelope), ...authErrors },
});

export const createLoggedModelRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const project = await activeExperiment(c.get("db"), teamId, required(req.experiment_id, "experiment_id"));
  const model = await createLoggedModel(c.get("db"), teamId, {
    projectId: project.id,
    name: req.name,
    modelType: req.model_type,
    sourceRunId: req.source_run_id,
    params: req.params,
    tags: req.tags,
  });
  return c.json({ model: loggedModelJson(model) }, 200);
});
