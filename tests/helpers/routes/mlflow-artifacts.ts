import { api } from "../api";
import type { Area, Fixture, RouteCase } from "../route-table";
import { fixtureRun } from "./runs";

// MLflow's artifact routes for the security loop. The artifact service names
// its run in the path (<project>/<run>/artifacts/...), artifacts/list in the
// query string; every row names the fixture's run, so all are "owned".
const root = (f: Fixture) => `${f.projectId}/${f.mlflowArtifactRun}/artifacts`;
const svc = "/api/2.0/mlflow-artifacts";

export const mlflowArtifactRoutes: RouteCase[] = [
  { method: "GET", path: `${svc}/artifacts`, scope: "read", owned: true, query: (f) => ({ path: root(f) }) },
  { method: "PUT", path: `${svc}/artifacts/{path}`, scope: "write", owned: true, params: (f) => ({ path: `${root(f)}/put.json` }) },
  { method: "GET", path: `${svc}/artifacts/{path}`, scope: "read", owned: true, params: (f) => ({ path: `${root(f)}/dir/fixture.txt` }) },
  { method: "DELETE", path: `${svc}/artifacts/{path}`, scope: "write", owned: true, params: (f) => ({ path: `${root(f)}/dir/fixture.txt` }) },
  {
    method: "POST",
    path: `${svc}/mpu/create/{path}`,
    scope: "write",
    owned: true,
    params: (f) => ({ path: `${root(f)}/mpu` }),
    body: () => ({ path: "/tmp/big.bin", num_parts: 2 }),
  },
  // Completing with no parts is refused (400), after the path and upload are checked.
  {
    method: "POST",
    path: `${svc}/mpu/complete/{path}`,
    scope: "write",
    owned: true,
    params: (f) => ({ path: `${root(f)}/mpu` }),
    body: (f) => ({ path: "/tmp/big.bin", upload_id: f.mlflowUploadId, parts: [] }),
  },
  {
    method: "POST",
    path: `${svc}/mpu/abort/{path}`,
    scope: "write",
    owned: true,
    params: (f) => ({ path: `${root(f)}/mpu` }),
    body: (f) => ({ path: "/tmp/big.bin", upload_id: f.mlflowUploadId }),
  },
  { method: "GET", path: "/api/2.0/mlflow/artifacts/list", scope: "read", owned: true, query: (f) => ({ run_id: f.mlflowArtifactRun }) },
];

export const mlflowArtifactArea: Area = {
  routes: mlflowArtifactRoutes,
  fixture: async (f) => {
    const run = await fixtureRun(f);
    const put = await api("PUT", `${svc}/artifacts/${f.projectId}/${run}/artifacts/dir/fixture.txt`, { creds: f.team.creds, body: "hello" });
    if (put.status !== 200) throw new Error(`fixture: mlflow artifact upload ${put.status} ${put.text}`);
    const mpu = await api("POST", `${svc}/mpu/create/${f.projectId}/${run}/artifacts/mpu`, {
      creds: f.team.creds,
      json: { path: "/tmp/big.bin", num_parts: 1 },
    });
    if (mpu.status !== 200) throw new Error(`fixture: mlflow multipart create ${mpu.status} ${mpu.text}`);
    return { mlflowArtifactRun: run, mlflowUploadId: mpu.body.upload_id as string };
  },
};
