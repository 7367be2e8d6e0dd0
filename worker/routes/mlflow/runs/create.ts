import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { createRunWithTags } from "../../../services/run-tags";
import { invalidParam } from "../lib/errors";
import { DEFAULT_EXPERIMENT_ID, experimentProject } from "../lib/experiments";
import { int64 } from "../lib/request";
import { mlflowErrors, runEnvelope } from "./schema";
import { mlflowRunJson } from "./serialize";
import { checkTag } from "./validate";

const body = z.object({
  experiment_id: z.string().optional(),
  user_id: z.string().max(256).optional(),
  start_time: int64.optional(),
  tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).max(1000).optional(),
  run_name: z.string().optional(),
});

const route = createRoute({
  method: "post",
  path: "/runs/create",
  summary: "MLflow: create a run in an experiment (\"0\" is the team's Default project)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(runEnvelope), ...mlflowErrors },
});

export const createRunRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const tags = (req.tags ?? []).map((t, i) => checkTag(t, `tags[${i}]`));
  if (req.run_name !== undefined) checkTag({ key: "mlflow.runName", value: req.run_name }, "run_name");
  const experimentId = req.experiment_id || DEFAULT_EXPERIMENT_ID;
  const project = await experimentProject(db, teamId, experimentId);
  if (project.deletedAt) {
    throw invalidParam(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
  }
  const run = await createRunWithTags(db, teamId, project, {
    name: req.run_name || undefined,
    tags,
    userId: req.user_id || undefined,
    createdAt: req.start_time !== undefined ? new Date(req.start_time) : undefined,
  });
  return c.json({ run: await mlflowRunJson(db, run) }, 200);
});
