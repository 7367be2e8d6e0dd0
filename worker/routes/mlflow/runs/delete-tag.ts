import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { deleteRunTag } from "../../../services/run-tags";
import { required, runIdOf, runRef } from "../lib/request";
import { emptyReply, mlflowErrors } from "./schema";

const body = z.object({ ...runRef, key: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/runs/delete-tag",
  summary: "MLflow: delete a run tag (RESOURCE_DOES_NOT_EXIST when the run has no such tag)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const deleteTagRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  await deleteRunTag(c.get("db"), c.get("principal").teamId, runId, required(req.key, "key"));
  return c.json({}, 200);
});
