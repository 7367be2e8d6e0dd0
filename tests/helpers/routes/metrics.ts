import type { Area, RouteCase } from "../route-table";
import { fixtureRun } from "./runs";

export const metricRoutes: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/runs/{run}/metrics",
    scope: "write",
    owned: true,
    params: (f) => ({ run: f.metricRunId }),
    body: () => ({ seq: 0, metrics: { loss: { steps: [0], values: [1] } } }),
  },
  { method: "GET", path: "/api/v1/runs/{run}/metrics", scope: "read", owned: true, params: (f) => ({ run: f.metricRunId }) },
  {
    method: "GET",
    path: "/api/v1/runs/{run}/metrics/points",
    scope: "read",
    owned: true,
    params: (f) => ({ run: f.metricRunId }),
  },
  { method: "GET", path: "/api/v1/runs/{run}/export", scope: "read", owned: true, params: (f) => ({ run: f.metricRunId }) },
  // Runs are named in the query, not the path; another team's run id is a 404 too.
  { method: "GET", path: "/api/v1/metrics/buckets", scope: "read" },
];

export const metricsArea: Area = { routes: metricRoutes, fixture: async (f) => ({ metricRunId: await fixtureRun(f) }) };
