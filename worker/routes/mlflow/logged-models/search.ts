import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { searchLoggedModels } from "../../../services/logged-models";
import { experimentProject } from "../lib/experiments";
import { invalidParam } from "../lib/errors";
import { int64 } from "../lib/request";
import { loggedModelJson, loggedModelSchema } from "./schema";

const body = z.object({
  experiment_ids: z.array(z.union([z.string(), z.number().int()]).transform(String)).optional(),
  filter: z.string().optional(),
  datasets: z.array(z.object({ dataset_name: z.string().optional(), dataset_digest: z.string().optional() })).optional(),
  max_results: int64.optional(),
  order_by: z
    .array(z.object({ field_name: z.string(), ascending: z.boolean().optional(), dataset_name: z.string().optional(), dataset_digest: z.string().optional() }))
    .optional(),
  page_token: z.string().optional(),
});

const route = createRoute({
  method: "post",
  path: "/logged-models/search",
  summary: "MLflow 3: search logged models in experiments (filter on attributes, params, tags, metrics; order_by; paging)",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(z.object({ models: z.array(loggedModelSchema), next_page_token: z.string().optional() })), ...authErrors },
});

export const searchLoggedModelsRoute = newRouter().openapi(route, async (c) => {
  const req = c.req.valid("json");
  const teamId = c.get("principal").teamId;
  if (!req.experiment_ids?.length) {
    throw invalidParam("Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters.");
  }
  if (req.datasets?.length) throw invalidParam("Filtering logged models by datasets is not supported here");
  // Each id must be the team's experiment (another team's is a 404, as everywhere).
  const projectIds: string[] = [];
  for (const id of req.experiment_ids) projectIds.push((await experimentProject(c.get("db"), teamId, id)).id);
  const page = await searchLoggedModels(c.get("db"), teamId, {
    projectIds,
    filter: req.filter,
    orderBy: req.order_by,
    maxResults: req.max_results,
    pageToken: req.page_token || undefined,
  });
  return c.json({ models: page.models.map(loggedModelJson), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) }, 200);
});
