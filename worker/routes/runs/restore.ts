import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getRunInTeam } from "../../services/run-lookup";
import { setRunDeleted } from "../../services/runs";
import { runEnvelope, runParams } from "./schema";
import { runJson } from "./serialize";

// The dashboard's Undo after a delete (soft, through POST /runs/bulk); MLflow's
// restore-run does the same through its own door.
const route = createRoute({
  method: "post",
  path: "/runs/{run}/restore",
  summary: "Restore a soft-deleted run: it is back in lists with all its data",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams },
  responses: { 200: jsonContent(runEnvelope), ...authErrors },
});

export const restoreRunRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const runId = c.req.valid("param").run;
  await setRunDeleted(db, teamId, runId, false);
  await audit(c, { action: "run.restore", resourceType: "run", resourceId: runId });
  return c.json({ run: runJson(await getRunInTeam(db, teamId, runId)) }, 200);
});
