import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { getVersion, updateVersionDescription } from "../../../../services/registry/versions";
import { required } from "../../lib/request";
import { modelVersionEnvelope, versionField, versionOut } from "../schema";

const body = z.object({ name: z.string().optional(), version: versionField, description: z.string().optional() });

const route = createRoute({
  method: "patch",
  path: "/model-versions/update",
  summary: "MLflow: update a model version's description",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(modelVersionEnvelope), ...authErrors },
});

export const updateModelVersionRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  const [name, version] = [required(req.name, "name"), required(req.version, "version")];
  // No description: nothing to change (MLflow checks HasField), the version is still answered.
  const updated =
    req.description === undefined
      ? await getVersion(c.get("db"), teamId, name, version)
      : await updateVersionDescription(c.get("db"), teamId, name, version, req.description);
  return c.json(await versionOut(c.get("db"), teamId, updated), 200);
});
