import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import type { Context } from "hono";
import type { AppEnv } from "../../../env";
import { guard } from "../../../middleware/auth";
import { SEARCH_MAX_RESULTS_DEFAULT, searchExperiments, type ViewType } from "../../../services/experiment-search";
import { int64 } from "../lib/request";
import { experimentJson, experimentSchema } from "./schema";

// MLflow's ViewType enum arrives by name (protobuf JSON) or by number.
const viewTypes: Record<string, ViewType> = { "1": "ACTIVE_ONLY", "2": "DELETED_ONLY", "3": "ALL" };
const viewType = z
  .union([z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]), z.enum(["1", "2", "3"]), z.literal(1), z.literal(2), z.literal(3)])
  .transform((v) => viewTypes[String(v)] ?? (v as ViewType))
  .optional()
  .openapi({ type: "string", enum: ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] });

const fields = {
  max_results: int64.optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  view_type: viewType,
};
const postBody = z.object({ ...fields, order_by: z.array(z.string()).optional() });
// A query string repeats order_by for a list; one value arrives as a string.
const query = z.object({
  ...fields,
  order_by: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
});

const responseSchema = z.object({ experiments: z.array(experimentSchema), next_page_token: z.string().optional() });
const common = {
  path: "/experiments/search",
  summary: "MLflow: search experiments (filter on name, tags and times; order_by; paging)",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(responseSchema), ...authErrors },
};

async function answer(c: Context<AppEnv>, req: z.infer<typeof postBody>) {
  const page = await searchExperiments(c.get("db"), c.get("principal").teamId, {
    filter: req.filter,
    orderBy: req.order_by,
    viewType: req.view_type ?? "ACTIVE_ONLY",
    maxResults: req.max_results ?? SEARCH_MAX_RESULTS_DEFAULT,
    pageToken: req.page_token || undefined,
  });
  return { experiments: page.projects.map(experimentJson), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}

export const searchExperimentsRoute = newRouter()
  .openapi(createRoute({ ...common, method: "post", request: { body: jsonBody(postBody) } }), async (c) =>
    c.json(await answer(c, c.req.valid("json")), 200),
  )
  .openapi(createRoute({ ...common, method: "get", request: { query } }), async (c) => c.json(await answer(c, c.req.valid("query")), 200));
