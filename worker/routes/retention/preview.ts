import { createRoute } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { getProjectInTeam } from "../../services/projects";
import { previewRetention } from "../../services/retention";
import { previewQuery, previewSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/preview",
  summary: "Dry run of history retention: the runs the next pass deletes, or those that go within N days",
  description: "Pinned and running runs are never listed (retention keeps them). Oldest first; at most 1,000 runs, then truncated is true.",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query: previewQuery },
  responses: { 200: jsonContent(previewSchema), ...authErrors },
});

const iso = (d: string | Date) => new Date(d).toISOString();

export const previewRetentionRoute = newRouter().openapi(route, async (c) => {
  const db = c.get("db");
  const teamId = c.get("principal").teamId;
  const q = c.req.valid("query");
  const project = q.project ? await getProjectInTeam(db, teamId, q.project) : null;
  const p = await previewRetention(db, teamId, project, q.within_days);
  return c.json(
    {
      retention_days: p.retentionDays,
      runs: p.runs.map((r) => ({ id: r.id, name: r.name, project_id: r.project_id, created_at: iso(r.created_at), deletes_at: iso(r.deletes_at) })),
      truncated: p.truncated,
    },
    200,
  );
});
