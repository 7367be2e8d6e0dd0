import { createRoute, z } from "@hono/zod-openapi";
import { jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { setRunTags } from "../../../services/run-tags";
import { runIdOf, runRef } from "../lib/request";
import { emptyReply, mlflowErrors } from "./schema";
import { checkTag } from "./validate";

const body = z.object({ ...runRef, key: z.string().optional(), value: z.string().optional() });

const route = createRoute({
  method: "post",
  path: "/runs/set-tag",
  summary: "MLflow: set a run tag (last write wins; mlflow.runName, mlflow.note.content, mlflow.source.git.commit and mlflow.parentRunId set the run's name, notes, git commit and parent)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(emptyReply), ...mlflowErrors },
});

export const setTagRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const runId = runIdOf(req);
  const tag = checkTag(req);
  await setRunTags(c.get("db"), c.get("principal").teamId, runId, [tag]);
  return c.json({}, 200);
});
