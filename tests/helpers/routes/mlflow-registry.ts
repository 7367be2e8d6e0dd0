import { uniq } from "../api";
import { mlflow } from "../mlflow";
import type { Area, Fixture, RouteCase } from "../route-table";
import { fixtureRun } from "./runs";

// MLflow routes (model registry and MLflow 3 logged models) for the security
// loop. Registry resources are named in the body (POST/PATCH/DELETE) or the
// query string (GET); logged models in the path. Rows that change what others
// name use resources of their own: rename renames `rmRename`, delete deletes
// `rmDoomed`, and model-versions/delete deletes version 2 (the alias is on 1).
const R = "/api/2.0/mlflow/registered-models";
const V = "/api/2.0/mlflow/model-versions";
const L = "/api/2.0/mlflow/logged-models";

const mv = (f: Fixture) => ({ name: f.rmName, version: "1" });

export const mlflowRegistryRoutes: RouteCase[] = [
  { method: "POST", path: `${R}/create`, scope: "write", body: () => ({ name: `sec-model-${uniq()}` }) },
  { method: "GET", path: `${R}/get`, scope: "read", owned: true, query: (f) => ({ name: f.rmName }) },
  { method: "GET", path: `${R}/search`, scope: "read", query: () => ({ max_results: "5" }) },
  { method: "PATCH", path: `${R}/update`, scope: "write", owned: true, body: (f) => ({ name: f.rmName, description: "d" }) },
  { method: "POST", path: `${R}/rename`, scope: "write", owned: true, body: (f) => ({ name: f.rmRename, new_name: `sec-renamed-${uniq()}` }) },
  { method: "DELETE", path: `${R}/delete`, scope: "write", owned: true, body: (f) => ({ name: f.rmDoomed }) },
  { method: "POST", path: `${R}/set-tag`, scope: "write", owned: true, body: (f) => ({ name: f.rmName, key: "k2", value: "v" }) },
  { method: "DELETE", path: `${R}/delete-tag`, scope: "write", owned: true, body: (f) => ({ name: f.rmName, key: "k" }) },
  { method: "POST", path: `${R}/alias`, scope: "write", owned: true, body: (f) => ({ ...mv(f), alias: "challenger" }) },
  { method: "DELETE", path: `${R}/alias`, scope: "write", owned: true, body: (f) => ({ name: f.rmName, alias: "champion" }) },
  { method: "GET", path: `${R}/alias`, scope: "read", owned: true, query: (f) => ({ name: f.rmName, alias: "champion" }) },
  { method: "GET", path: `${R}/get-latest-versions`, scope: "read", owned: true, query: (f) => ({ name: f.rmName }) },
  { method: "POST", path: `${R}/get-latest-versions`, scope: "read", owned: true, body: (f) => ({ name: f.rmName, stages: ["None"] }) },
  {
    method: "POST",
    path: `${V}/create`,
    scope: "write",
    owned: true,
    body: (f) => ({ name: f.rmName, source: `runs:/${f.rmRunId}/model`, run_id: f.rmRunId }),
  },
  { method: "GET", path: `${V}/get`, scope: "read", owned: true, query: mv },
  { method: "GET", path: `${V}/search`, scope: "read", query: () => ({ max_results: "5" }) },
  { method: "PATCH", path: `${V}/update`, scope: "write", owned: true, body: (f) => ({ ...mv(f), description: "d" }) },
  { method: "DELETE", path: `${V}/delete`, scope: "write", owned: true, body: (f) => ({ name: f.rmName, version: "2" }) },
  { method: "POST", path: `${V}/transition-stage`, scope: "write", owned: true, body: (f) => ({ ...mv(f), stage: "Staging" }) },
  { method: "GET", path: `${V}/get-download-uri`, scope: "read", owned: true, query: mv },
  { method: "POST", path: `${V}/set-tag`, scope: "write", owned: true, body: (f) => ({ ...mv(f), key: "k2", value: "v" }) },
  { method: "DELETE", path: `${V}/delete-tag`, scope: "write", owned: true, body: (f) => ({ ...mv(f), key: "k" }) },
  { method: "POST", path: L, scope: "write", owned: true, body: (f) => ({ experiment_id: f.projectId, name: "sec-logged" }) },
  { method: "POST", path: `${L}/search`, scope: "read", owned: true, body: (f) => ({ experiment_ids: [f.projectId] }) },
  { method: "GET", path: `${L}/{model_id}`, scope: "read", owned: true, params: (f) => ({ model_id: f.loggedModelId }) },
  {
    method: "PATCH",
    path: `${L}/{model_id}`,
    scope: "write",
    owned: true,
    params: (f) => ({ model_id: f.loggedModelId }),
    body: () => ({ status: "LOGGED_MODEL_READY" }),
  },
  { method: "DELETE", path: `${L}/{model_id}`, scope: "write", owned: true, params: (f) => ({ model_id: f.loggedModelId }) },
  {
    method: "POST",
    path: `${L}/{model_id}/params`,
    scope: "write",
    owned: true,
    params: (f) => ({ model_id: f.loggedModelId }),
    body: () => ({ params: [{ key: "lr", value: "0.1" }] }),
  },
  {
    method: "PATCH",
    path: `${L}/{model_id}/tags`,
    scope: "write",
    owned: true,
    params: (f) => ({ model_id: f.loggedModelId }),
    body: () => ({ tags: [{ key: "k2", value: "v" }] }),
  },
  {
    method: "POST",
    path: "/api/2.0/mlflow/runs/outputs",
    scope: "write",
    owned: true,
    body: (f) => ({ run_id: f.rmRunId, models: [{ model_id: f.loggedModelId, step: 0 }] }),
  },
  {
    method: "DELETE",
    path: `${L}/{model_id}/tags/{tag_key}`,
    scope: "write",
    owned: true,
    params: (f) => ({ model_id: f.loggedModelId, tag_key: "k" }),
  },
];

async function call(f: Fixture, method: "POST" | "PATCH", path: string, json: unknown) {
  const res = await mlflow(method, path, { creds: f.team.creds, json });
  if (res.status !== 200) throw new Error(`fixture: ${method} ${path} ${res.status} ${res.text}`);
  return res.body;
}

export const mlflowRegistryArea: Area = {
  routes: mlflowRegistryRoutes,
  fixture: async (f) => {
    const rmRunId = await fixtureRun(f);
    const tags = [{ key: "k", value: "v" }];
    const rmName = `sec-model-${uniq()}`;
    await call(f, "POST", "registered-models/create", { name: rmName, tags });
    for (let i = 0; i < 2; i++) {
      await call(f, "POST", "model-versions/create", { name: rmName, source: `runs:/${rmRunId}/model`, run_id: rmRunId, tags });
    }
    await call(f, "POST", "registered-models/alias", { name: rmName, alias: "champion", version: "1" });
    const rmRename = `sec-rename-${uniq()}`;
    const rmDoomed = `sec-doomed-${uniq()}`;
    await call(f, "POST", "registered-models/create", { name: rmRename });
    await call(f, "POST", "registered-models/create", { name: rmDoomed });
    const logged = await call(f, "POST", "logged-models", { experiment_id: f.projectId, name: "sec-model", tags, source_run_id: rmRunId });
    return { rmName, rmRename, rmDoomed, rmRunId, loggedModelId: logged.model.info.model_id as string };
  },
};
