import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { experimentProject } from "../lib/experiments";
import { required } from "../lib/request";
import { experimentIdField, experimentJson, experimentSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/experiments/get",
  summary: "MLflow: get an experiment by id (deleted ones too)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ experiment_id: experimentIdField }) },
  responses: { 200: jsonContent(z.object({ experiment: experimentSchema })), ...authErrors },
});

export const getExperimentRoute = newRouter().openapi(route, async (c) => {
  const id = required(c.req.valid("query").experiment_id, "experiment_id");
  const project = await experimentProject(c.get("db"), c.get("principal").teamId, id);
  return c.json({ experiment: experimentJson(project) }, 200);
});
