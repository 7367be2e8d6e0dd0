import { uniq } from "../api";
import { mlflow } from "../mlflow";
import type { Area, Fixture, RouteCase } from "../route-table";

// MLflow routes (experiments) for the security loop. Their resources are named in the
// body (POST) or query string (GET), so "owned" rows give body/query from the fixture.
const P = "/api/2.0/mlflow/experiments";

export const mlflowExperimentsRoutes: RouteCase[] = [
  { method: "POST", path: `${P}/create`, scope: "write", body: () => ({ name: `sec exp ${uniq()}` }) },
  { method: "GET", path: `${P}/get`, scope: "read", owned: true, query: (f) => ({ experiment_id: f.expId }) },
  { method: "GET", path: `${P}/get-by-name`, scope: "read", owned: true, query: (f) => ({ experiment_name: f.expName }) },
  { method: "GET", path: `${P}/search`, scope: "read", query: () => ({ max_results: "5" }) },
  { method: "POST", path: `${P}/search`, scope: "read", body: () => ({ max_results: 5 }) },
  { method: "POST", path: `${P}/update`, scope: "write", owned: true, body: (f) => ({ experiment_id: f.expToDelete, new_name: `sec renamed ${uniq()}` }) },
  // Delete and restore name experiments of their own, so the others stay active.
  { method: "POST", path: `${P}/delete`, scope: "write", owned: true, body: (f) => ({ experiment_id: f.expToDelete }) },
  { method: "POST", path: `${P}/restore`, scope: "write", owned: true, body: (f) => ({ experiment_id: f.expDeleted }) },
  { method: "POST", path: `${P}/set-experiment-tag`, scope: "write", owned: true, body: (f) => ({ experiment_id: f.expId, key: "k2", value: "v" }) },
  { method: "POST", path: `${P}/delete-experiment-tag`, scope: "write", owned: true, body: (f) => ({ experiment_id: f.expId, key: "k" }) },
];

async function createExperiment(f: Fixture, name: string, tags: { key: string; value: string }[] = []): Promise<string> {
  const res = await mlflow("POST", "experiments/create", { creds: f.team.creds, json: { name, tags } });
  if (res.status !== 200) throw new Error(`fixture: create experiment ${res.status} ${res.text}`);
  return res.body.experiment_id as string;
}

export const mlflowExperimentsArea: Area = {
  routes: mlflowExperimentsRoutes,
  fixture: async (f) => {
    const expName = `sec exp ${uniq()}`;
    const expId = await createExperiment(f, expName, [{ key: "k", value: "v" }]);
    const expToDelete = await createExperiment(f, `sec doomed ${uniq()}`);
    const expDeleted = await createExperiment(f, `sec deleted ${uniq()}`);
    const del = await mlflow("POST", "experiments/delete", { creds: f.team.creds, json: { experiment_id: expDeleted } });
    if (del.status !== 200) throw new Error(`fixture: delete experiment ${del.status} ${del.text}`);
    return { expId, expName, expToDelete, expDeleted };
  },
};
