import { api } from "../api";
import type { Area, Fixture, RouteCase } from "../route-table";

export const runRoutes: RouteCase[] = [
  { method: "GET", path: "/api/v1/projects/{project}/runs", scope: "read", owned: true, params: (f) => ({ project: f.projectId }) },
  { method: "POST", path: "/api/v1/projects/{project}/runs", scope: "write", owned: true, params: (f) => ({ project: f.projectId }), body: () => ({}) },
  { method: "GET", path: "/api/v1/runs/{run}", scope: "read", owned: true, params: (f) => ({ run: f.runId }) },
  { method: "PATCH", path: "/api/v1/runs/{run}", scope: "write", owned: true, params: (f) => ({ run: f.runId }), body: () => ({ notes: "x" }) },
  { method: "POST", path: "/api/v1/runs/{run}/heartbeat", scope: "write", owned: true, params: (f) => ({ run: f.runId }) },
  {
    method: "POST",
    path: "/api/v1/runs/{run}/finish",
    scope: "write",
    owned: true,
    params: (f) => ({ run: f.runId }),
    body: () => ({ status: "finished" }),
  },
  { method: "GET", path: "/api/v1/runs/{run}/datasets", scope: "read", owned: true, params: (f) => ({ run: f.runId }) },
  { method: "DELETE", path: "/api/v1/runs/{run}", scope: "write", owned: true, params: (f) => ({ run: f.runId }) },
  { method: "POST", path: "/api/v1/runs/{run}/restore", scope: "write", owned: true, params: (f) => ({ run: f.runId }) },
  {
    method: "POST",
    path: "/api/v1/projects/{project}/runs/bulk",
    scope: "write",
    owned: true,
    params: (f) => ({ project: f.projectId }),
    body: (f) => ({ run_ids: [f.runId], action: "tag", tags: ["security"] }),
  },
];

// Makes a run in the fixture's project, for every area whose paths name one.
export async function fixtureRun(f: Fixture): Promise<string> {
  const res = await api("POST", `/api/v1/projects/${f.projectId}/runs`, { creds: f.team.creds, json: {} });
  if (res.status !== 201) throw new Error(`fixture: create run ${res.status} ${res.text}`);
  return res.body.run.id as string;
}

export const runsArea: Area = { routes: runRoutes, fixture: async (f) => ({ runId: await fixtureRun(f) }) };
