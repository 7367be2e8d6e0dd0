import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { createExperimentProject } from "../../../services/experiments";
import { invalidParam } from "../lib/errors";
import { required } from "../lib/request";
import { checkExperimentName, checkTag } from "./schema";

const body = z.object({
  name: z.string().optional(),
  // Accepted for the client's sake and ignored: artifacts always live under
  // mlflow-artifacts:/<experiment id>, served by Sightline's own storage.
  artifact_location: z.string().optional(),
  tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
});

const route = createRoute({
  method: "post",
  path: "/experiments/create",
  summary: "MLflow: create an experiment (a project)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(z.object({ experiment_id: z.string() })), ...authErrors },
});

export const createExperimentRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const name = checkExperimentName(required(req.name, "name"));
  const tags: Record<string, string> = {};
  (req.tags ?? []).forEach((t, i) => {
    const key = t.key ?? "";
    if (!key) throw invalidParam(`Missing value for required parameter 'tags[${i}].key'.`);
    checkTag(key, t.value ?? "", `tags[${i}].`);
    tags[key] = t.value ?? "";
  });
  const project = await createExperimentProject(c.get("db"), c.get("principal").teamId, { name, tags });
  return c.json({ experiment_id: project.id }, 200);
});
