import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../../lib/openapi";
import { bearerSecurity, newRouter } from "../../../lib/router";
import { guard } from "../../../middleware/auth";
import { searchRuns, type ViewType } from "../../../services/run-search";
import { invalidParam } from "../lib/errors";
import { int64 } from "../lib/request";
import { datasetInput, runJson } from "../lib/serialize-run";
import { parseFilter, parseOrderBy } from "./filter";

// MLflow's SearchRuns (service.proto): POST only, as MLflow's server routes it.
const MAX_RESULTS = 50_000;
const DEFAULT_RESULTS = 1000;
const VIEW_TYPES: Record<string, ViewType> = { ACTIVE_ONLY: "ACTIVE_ONLY", DELETED_ONLY: "DELETED_ONLY", ALL: "ALL", "1": "ACTIVE_ONLY", "2": "DELETED_ONLY", "3": "ALL" };

const body = z
  .object({
    experiment_ids: z.array(z.union([z.string(), z.number().int()])).max(10_000).optional(),
    filter: z.string().max(100_000).optional(),
    run_view_type: z.union([z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]), z.number().int()]).optional(),
    max_results: int64.optional(),
    order_by: z.array(z.string().max(1000)).max(100).optional(),
    page_token: z.string().max(200_000).optional(),
  })
  .openapi("MlflowSearchRuns");

const response = z
  .object({ runs: z.array(z.record(z.string(), z.unknown())).optional(), next_page_token: z.string().optional() })
  .openapi("MlflowSearchRunsResponse");

const route = createRoute({
  method: "post",
  path: "/runs/search",
  summary: "MLflow: search runs of experiments with a filter, order and paging",
  security: bearerSecurity,
  middleware: guard("read"),
  request: { body: jsonBody(body) },
  responses: { 200: jsonContent(response), ...authErrors },
});

export const searchRunsRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid("json");
  const maxResults = q.max_results ?? DEFAULT_RESULTS;
  if (maxResults > MAX_RESULTS || maxResults < 1) {
    throw invalidParam(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${MAX_RESULTS}.`);
  }
  const view = VIEW_TYPES[String(q.run_view_type ?? "ACTIVE_ONLY")];
  if (!view) throw invalidParam(`Invalid value ${q.run_view_type} for parameter 'run_view_type' supplied: use ACTIVE_ONLY, DELETED_ONLY or ALL.`);
  // Parsed before any query, so a bad filter costs no database work.
  const filter = parseFilter(q.filter);
  const orderBy = parseOrderBy(q.order_by);
  const page = await searchRuns(c.get("db"), c.get("principal").teamId, {
    experimentIds: (q.experiment_ids ?? []).map(String),
    filter,
    orderBy,
    view,
    maxResults,
    pageToken: q.page_token || undefined,
  });
  const runs = page.runs.map((r) => runJson(r, (page.datasets.get(r.id) ?? []).map(datasetInput)));
  return c.json(page.nextPageToken ? { runs, next_page_token: page.nextPageToken } : { runs }, 200);
});
