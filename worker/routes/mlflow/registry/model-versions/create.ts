import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { createVersion } from "../../../../services/registry/versions";
import { required } from "../../lib/request";
import { modelVersionEnvelope, tagInput, versionOut } from "../schema";

const body = z.object({
  name: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  tags: tagInput,
  run_link: z.string().optional(),
  description: z.string().optional(),
  model_id: z.string().optional(),
});

const route = createRoute({
  method: "post",
  path: "/model-versions/create",
  summary: "MLflow: register a new version of a model from a run's or logged model's files",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(modelVersionEnvelope), ...authErrors },
});

export const createModelVersionRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const version = await createVersion(c.get("db"), teamId, {
    name: required(req.name, "name"),
    source: required(req.source, "source"),
    runId: req.run_id,
    modelId: req.model_id,
    runLink: req.run_link,
    description: req.description,
    tags: req.tags,
  });
  return c.json(await versionOut(c.get("db"), teamId, version), 200);
});
