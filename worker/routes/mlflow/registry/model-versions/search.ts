import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { searchVersions } from "../../../../services/registry/versions";
import { int64 } from "../../lib/request";
import { modelVersionSchema, queryList, versionsJson } from "../schema";

const query = z.object({ filter: z.string().optional(), max_results: int64.optional(), order_by: queryList, page_token: z.string().optional() });

const route = createRoute({
  method: "get",
  path: "/model-versions/search",
  summary: "MLflow: search model versions (filter on name, run_id, source_path, version_number, tags; order_by; paging)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query },
  responses: {
    200: jsonContent(z.object({ model_versions: z.array(modelVersionSchema), next_page_token: z.string().optional() })),
    ...authErrors,
  },
});

export const searchModelVersionsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const page = await searchVersions(c.get("db"), teamId, {
    filter: q.filter,
    maxResults: q.max_results,
    orderBy: q.order_by,
    pageToken: q.page_token || undefined,
  });
  const model_versions = await versionsJson(c.get("db"), teamId, page.versions);
  return c.json({ model_versions, ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) }, 200);
});
