import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../../lib/router";
import { guard } from "../../../../middleware/auth";
import { searchModels } from "../../../../services/registry/models";
import { int64 } from "../../lib/request";
import { modelsJson, queryList, registeredModelSchema } from "../schema";

const query = z.object({ filter: z.string().optional(), max_results: int64.optional(), order_by: queryList, page_token: z.string().optional() });

const route = createRoute({
  method: "get",
  path: "/registered-models/search",
  summary: "MLflow: search registered models (filter on name and tags; order_by; paging)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { query },
  responses: {
    200: jsonContent(z.object({ registered_models: z.array(registeredModelSchema), next_page_token: z.string().optional() })),
    ...authErrors,
  },
});

export const searchRegisteredModelsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const teamId = c.get("principal").teamId;
  const page = await searchModels(c.get("db"), teamId, {
    filter: q.filter,
    maxResults: q.max_results,
    orderBy: q.order_by,
    pageToken: q.page_token || undefined,
  });
  const registered_models = await modelsJson(c.get("db"), teamId, page.models);
  return c.json({ registered_models, ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) }, 200);
});
