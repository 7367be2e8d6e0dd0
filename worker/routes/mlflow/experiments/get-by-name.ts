import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { findProjectByName } from "../../../services/experiments";
import { doesNotExist } from "../lib/errors";
import { DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, experimentProject } from "../lib/experiments";
import { required } from "../lib/request";
import { experimentJson, experimentSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/experiments/get-by-name",
  summary: "MLflow: get an experiment by name (deleted ones too)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: z.object({ experiment_name: z.string().optional() }) },
  responses: { 200: jsonContent(z.object({ experiment: experimentSchema })), ...authErrors },
});

export const getExperimentByNameRoute = newRouter().openapi(route, async (c) => {
  const name = required(c.req.valid("query").experiment_name, "experiment_name");
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  // Every MLflow server has "Default"; here it is made on first use.
  // No stored name holds NUL (Postgres cannot even compare against one).
  const project =
    name === DEFAULT_EXPERIMENT_NAME
      ? await experimentProject(db, teamId, DEFAULT_EXPERIMENT_ID)
      : name.includes("\u0000")
        ? null
        : await findProjectByName(db, teamId, name);
  if (!project) throw doesNotExist(`Could not find experiment with name '${name}'`);
  return c.json({ experiment: experimentJson(project) }, 200);
});
