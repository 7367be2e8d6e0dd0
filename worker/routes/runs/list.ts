import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listRuns } from "../../services/runs";
import { listRunsQuery, projectRunsParams, runSchema } from "./schema";
import { runJson } from "./serialize";

const route = createRoute({
  method: "get",
  path: "/projects/{project}/runs",
  summary: "List a project's runs, filtered and sorted, a page at a time",
  description:
    "filter: <field><op><value> with field name, config.<path> or summary.<key>.<last|min|max> and op = != < <= > >= ~, " +
    "or parent_id=<run id> (a run's nested runs); " +
    "numeric values compare numerically. order_by: created_at, name, status, config.<path> or summary.<key>.<agg>, '-' for descending.",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { params: projectRunsParams, query: listRunsQuery },
  responses: {
    200: jsonContent(z.object({ runs: z.array(runSchema), next_cursor: z.string().nullable() })),
    ...authErrors,
  },
});

export const listRunsRoute = newRouter().openapi(route, async (c) => {
  const page = await listRuns(c.get("db"), c.get("principal").teamId, c.req.valid("param").project, c.req.valid("query"));
  const now = Date.now();
  return c.json({ runs: page.runs.map((r) => runJson(r, now)), next_cursor: page.nextCursor }, 200);
});
