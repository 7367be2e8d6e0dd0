import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getRunInTeam } from "../../services/run-lookup";
import { setRunPinned } from "../../services/retention";
import { updateRun } from "../../services/runs";
import { runEnvelope, runParams, updateRunBody } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "patch",
  path: "/runs/{run}",
  summary: "Rename a run, replace its tags or notes, merge keys into its config or summary overrides, or pin it",
  description: "pinned: true keeps the run from history retention whatever its age (audited as run.pin / run.unpin).",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: runParams, body: jsonBody(updateRunBody) },
  responses: { 200: jsonContent(runEnvelope), ...authErrors },
});

export const updateRunRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const runId = c.req.valid("param").run;
  const { pinned, ...patch } = c.req.valid("json");
  if (pinned !== undefined) {
    await setRunPinned(db, teamId, runId, pinned);
    await audit(c, { action: pinned ? "run.pin" : "run.unpin", resourceType: "run", resourceId: runId });
  }
  const rest = Object.values(patch).some((v) => v !== undefined);
  const run = rest ? await updateRun(db, teamId, runId, patch) : await getRunInTeam(db, teamId, runId);
  return c.json({ run: runJson(run) }, 200);
});
