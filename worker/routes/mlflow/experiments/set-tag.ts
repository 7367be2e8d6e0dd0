import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { setProjectTag } from "../../../services/experiments";
import { required } from "../lib/request";
import { activeExperiment, checkTag, emptyResponse, experimentIdField } from "./schema";

const body = z.object({ experiment_id: experimentIdField, key: z.string().optional(), value: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/experiments/set-experiment-tag",
  summary: "MLflow: set an experiment tag (last write wins)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyResponse), ...authErrors },
});

export const setExperimentTagRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const id = required(req.experiment_id, "experiment_id");
  const key = required(req.key, "key");
  const value = req.value ?? "";
  checkTag(key, value);
  const teamId = c.get("principal").teamId;
  const project = await activeExperiment(c.get("db"), teamId, id);
  // False only if a delete raced in between: the same answer as deleted before.
  if (!(await setProjectTag(c.get("db"), teamId, project.id, key, value))) await activeExperiment(c.get("db"), teamId, id);
  return c.json({}, 200);
});
