import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { deleteProjectTag } from "../../../services/experiments";
import { doesNotExist } from "../lib/errors";
import { required } from "../lib/request";
import { activeExperiment, emptyResponse, experimentIdField } from "./schema";

const body = z.object({ experiment_id: experimentIdField, key: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/experiments/delete-experiment-tag",
  summary: "MLflow: delete an experiment tag",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const deleteExperimentTagRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const id = required(req.experiment_id, "experiment_id");
  const key = required(req.key, "key");
  const teamId = c.get("principal").teamId;
  const project = await activeExperiment(c.get("db"), teamId, id);
  const gone = !key.includes("\u0000") && (await deleteProjectTag(c.get("db"), teamId, project.id, key));
  if (!gone) throw doesNotExist(`No tag with name: ${key} in experiment with id ${id}`);
  return c.json({}, 200);
});
