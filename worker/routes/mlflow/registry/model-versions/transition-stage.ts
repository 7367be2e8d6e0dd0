import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { transitionStage } from "../../../../services/registry/versions";
import { required } from "../../lib/request";
import { modelVersionEnvelope, versionField, versionOut } from "../schema";

const body = z.object({
  name: z.string().optional(),
  version: versionField,
  stage: z.string().optional(),
  archive_existing_versions: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).optional(),
});

const route = createRoute({
  method: "post",
  path: "/model-versions/transition-stage",
  summary: "MLflow (pre-alias clients): move a version to None, Staging, Production or Archived",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(modelVersionEnvelope), ...authErrors },
});

export const transitionStageRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const version = await transitionStage(
    c.get("db"),
    teamId,
    required(req.name, "name"),
    required(req.version, "version"),
    required(req.stage, "stage"),
    req.archive_existing_versions ?? false,
  );
  return c.json(await versionOut(c.get("db"), teamId, version), 200);
});
