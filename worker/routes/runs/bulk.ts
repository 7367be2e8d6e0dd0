import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../lib/audit-context";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { text } from "../../lib/validation";
import { guard } from "../../middleware/auth";
import { bulkUpdateRuns, MAX_BULK_RUNS } from "../../services/run-bulk";
import { projectRunsParams } from "./schema";

const runIds = z.array(z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "must be run ids")).min(1, "give at least one run id").max(MAX_BULK_RUNS, `at most ${MAX_BULK_RUNS} runs per call`);
const tagList = z.array(text(128)).min(1, "give at least one tag").max(64, "at most 64 tags");

const body = z.discriminatedUnion("action", [
  z.object({ run_ids: runIds, action: z.enum(["tag", "untag"]), tags: tagList }),
  z.object({ run_ids: runIds, action: z.literal("move"), project: text(128).openapi({ description: "Project id (prj_...) or name, of the same team" }) }),
  z.object({ run_ids: runIds, action: z.enum(["archive", "unarchive", "delete", "restore"]) }),
]);

const route = createRoute({
  method: "post",
  // Under the project (not /runs/bulk, which /runs/{run} would shadow for other methods).
  path: "/projects/{project}/runs/bulk",
  summary: "Tag, untag, move, archive, unarchive, delete (soft) or restore up to 1,000 runs in one atomic call",
  description:
    "All or nothing: any id that is not a run of the team in this project makes the whole call a 404 and changes nothing. " +
    "delete sets deleted_at (the run leaves lists and can be restored); archive hides a run from lists unless archived=include|only.",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: projectRunsParams, body: jsonBody(body) },
  responses: { 200: jsonContent(z.object({ updated: z.number().int(), project_id: z.string().optional() })), ...authErrors },
});

export const bulkRunsRoute = newRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const { run_ids, ...change } = input;
  const result = await bulkUpdateRuns(db, teamId, c.req.valid("param").project, run_ids, change, (tx, r) => {
    const details: Record<string, unknown> = { run_ids: r.ids, count: r.updated };
    if ("tags" in change) details.tags = change.tags;
    if (r.project_id) details.project_id = r.project_id;
    return audit(c, { action: `run.bulk_${change.action}`, resourceType: "run", details }, tx);
  });
  return c.json(result, 200);
});
