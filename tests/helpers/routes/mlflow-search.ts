import { api } from "../api";
import type { Area, Fixture, RouteCase } from "../route-table";

// MLflow routes (search, metric history) for the security loop. Their resources
// are named in the body (POST) or query string (GET). runs/search is not
// "owned": another team's experiment ids match no runs (200, empty), as on
// MLflow's own server; tests/mlflow-search.test.ts checks that.
export const mlflowSearchRoutes: RouteCase[] = [
  { method: "POST", path: "/api/2.0/mlflow/runs/search", scope: "read", body: (f) => ({ experiment_ids: [f.projectId] }) },
  {
    method: "GET",
    path: "/api/2.0/mlflow/metrics/get-history",
    scope: "read",
    owned: true,
    query: (f) => ({ run_id: f.searchRunId, metric_key: "loss" }),
  },
  {
    method: "GET",
    path: "/api/2.0/mlflow/metrics/get-history-bulk-interval",
    scope: "read",
    owned: true,
    query: (f) => ({ run_ids: f.searchRunId, metric_key: "loss" }),
  },
];

// A run with one point of "loss", in the fixture's project.
async function fixture(f: Fixture) {
  const run = await api("POST", `/api/v1/projects/${f.projectId}/runs`, { creds: f.team.creds, json: {} });
  if (run.status !== 201) throw new Error(`fixture: create run ${run.status} ${run.text}`);
  const searchRunId = run.body.run.id as string;
  const m = await api("POST", `/api/v1/runs/${searchRunId}/metrics`, {
    creds: f.team.creds,
    json: { seq: 0, metrics: { loss: { steps: [0], values: [1] } } },
  });
  if (m.status >= 300) throw new Error(`fixture: log metric ${m.status} ${m.text}`);
  return { searchRunId };
}

export const mlflowSearchArea: Area = { routes: mlflowSearchRoutes, fixture };
