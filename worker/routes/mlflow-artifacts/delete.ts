import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { deleteFiles } from "../../services/artifacts/mlflow-files";
import { resolveTarget } from "../../services/artifacts/mlflow-paths";
import { artifactPathParams, documentAs, empty, slashed } from "./schema";

// A file, or a directory with everything under it (MLflow's delete_artifacts).
// Nothing there is not an error, as with MLflow's object-store repositories.
const route = createRoute({
  method: "delete",
  path: "/artifacts/{path}",
  summary: "Delete an artifact or a directory of artifacts",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: artifactPathParams },
  responses: { 200: jsonContent(empty), ...authErrors },
});

export const deleteArtifactRoute = documentAs(
  newRouter().openapi(slashed(route), async (c) => {
    const target = await resolveTarget(c.get("db"), c.get("principal").teamId, c.req.valid("param").path);
    await deleteFiles(c.get("db"), target);
    return c.json({}, 200);
  }),
  route,
);
