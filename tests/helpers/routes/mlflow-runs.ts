import { api } from "../api";
import type { Area, Fixture, RouteCase } from "../route-table";

// MLflow routes (runs) for the security loop. Their resources are named in the
// body (POST) or query string (GET), so "owned" rows give body/query from the fixture.
// They act on a run of their own (mlflowRunId), made natively with notes, so
// delete-tag has a tag to delete; delete and restore come last.
const run = (f: Fixture) => ({ run_id: f.mlflowRunId as string });
const post = (path: string, body: (f: Fixture) => unknown): RouteCase => ({
  method: "POST",
  path: `/api/2.0/mlflow/runs/${path}`,
  scope: "write",
  owned: true,
  body,
});

export const mlflowRunsRoutes: RouteCase[] = [
  post("create", (f) => ({ experiment_id: f.projectId, start_time: Date.now() })),
  { method: "GET", path: "/api/2.0/mlflow/runs/get", scope: "read", owned: true, query: run },
  post("update", (f) => ({ ...run(f), status: "RUNNING" })),
  post("log-metric", (f) => ({ ...run(f), key: "sec_loss", value: 1.5, timestamp: Date.now(), step: 0 })),
  post("log-parameter", (f) => ({ ...run(f), key: "sec_param", value: "1" })),
  post("set-tag", (f) => ({ ...run(f), key: "sec.tag", value: "v" })),
  post("delete-tag", (f) => ({ ...run(f), key: "mlflow.note.content" })),
  post("log-batch", (f) => ({ ...run(f), metrics: [{ key: "sec_acc", value: "NaN", timestamp: Date.now(), step: 1 }], params: [], tags: [] })),
  post("log-inputs", (f) => ({ ...run(f), datasets: [{ tags: [], dataset: { name: "d", digest: "abc", source_type: "local", source: "/x" } }] })),
  post("delete", run),
  post("restore", run),
];

export const mlflowRunsArea: Area = {
  routes: mlflowRunsRoutes,
  fixture: async (f) => {
    const res = await api("POST", `/api/v1/projects/${f.projectId}/runs`, { creds: f.team.creds, json: { notes: "security fixture" } });
    if (res.status !== 201) throw new Error(`fixture: create run ${res.status} ${res.text}`);
    return { mlflowRunId: res.body.run.id as string };
  },
};
