import { expect, test } from "vitest";
import { uniq } from "./helpers/api";
import { makeKey, makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow 3's logged models (service.proto: /api/2.0/mlflow/logged-models*), as
// mlflow.<flavor>.log_model drives them: create (PENDING), upload, finalize.

const kv = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));

async function create(t: Team, json: Record<string, unknown>) {
  const res = await mlflow("POST", "logged-models", { creds: t.creds, json });
  expect(res.status, res.text).toBe(200);
  return res.body.model;
}
const getModel = (t: Team, id: string, query?: Record<string, string>) => mlflow("GET", `logged-models/${id}`, { creds: t.creds, query });
const search = (t: Team, json: unknown) => mlflow("POST", "logged-models/search", { creds: t.creds, json });

test("create, get, finalize: the LoggedModel message with MLflow's fields and id format", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const runId = await makeRun(t, project.name);
  const m = await create(t, { experiment_id: project.id, name: "clf", model_type: "sklearn", source_run_id: runId, params: kv({ lr: "0.1" }), tags: kv({ k: "v" }) });
  expect(Object.keys(m).sort()).toEqual(["data", "info"]);
  expect(m.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
  expect(m.info).toMatchObject({
    experiment_id: project.id,
    name: "clf",
    model_type: "sklearn",
    source_run_id: runId,
    status: "LOGGED_MODEL_PENDING",
    artifact_uri: `mlflow-artifacts:/${project.id}/models/${m.info.model_id}/artifacts`,
    tags: [{ key: "k", value: "v" }],
  });
  expect(typeof m.info.creation_timestamp_ms).toBe("number");
  expect(m.data).toEqual({ params: [{ key: "lr", value: "0.1" }], metrics: [] });

  const fin = await mlflow("PATCH", `logged-models/${m.info.model_id}`, { creds: t.creds, json: { model_id: m.info.model_id, status: "LOGGED_MODEL_READY" } });
  expect(fin.status, fin.text).toBe(200);
  expect(fin.body.model.info.status).toBe("LOGGED_MODEL_READY");
  const byNumber = await mlflow("PATCH", `logged-models/${m.info.model_id}`, { creds: t.creds, json: { status: 3 } });
  expect(byNumber.body.model.info.status).toBe("LOGGED_MODEL_UPLOAD_FAILED");
  expectMlflowError(await mlflow("PATCH", `logged-models/${m.info.model_id}`, { creds: t.creds, json: {} }), 400, "INVALID_PARAMETER_VALUE", /'status'/);
  expectMlflowError(await mlflow("PATCH", `logged-models/${m.info.model_id}`, { creds: t.creds, json: { status: "DONE" } }), 400, "INVALID_PARAMETER_VALUE", /status/);

  // Without a name one is made up; experiment 0 is the team's Default experiment.
  const unnamed = await create(t, { experiment_id: "0" });
  expect(unnamed.info.name).toMatch(/\S/);
  expect(unnamed.info.experiment_id).toMatch(/^prj_/);
});

test("create errors: missing or unknown experiment, another team's run, bad name", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const post = (json: unknown) => mlflow("POST", "logged-models", { creds: t.creds, json });
  expectMlflowError(await post({ name: "x" }), 400, "INVALID_PARAMETER_VALUE", /'experiment_id'/);
  expectMlflowError(await post({ experiment_id: "prj_nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post({ experiment_id: project.id, name: "a/b" }), 400, "INVALID_PARAMETER_VALUE", /Model name/);
  const other = await makeTeam();
  const theirRun = await makeRun(other);
  expectMlflowError(await post({ experiment_id: project.id, source_run_id: theirRun }), 400, "INVALID_PARAMETER_VALUE", /source_run_id/);
  expectMlflowError(await getModel(t, "m-00000000000000000000000000000000"), 404, "RESOURCE_DOES_NOT_EXIST", /not found/);
});

test("params and tags: log params, set tags (last write wins), delete tag (404 when absent)", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const m = await create(t, { experiment_id: project.id, tags: kv({ a: "1" }) });
  const id = m.info.model_id;
  expect((await mlflow("POST", `logged-models/${id}/params`, { creds: t.creds, json: { model_id: id, params: kv({ lr: "0.1", depth: "3" }) } })).status).toBe(200);
  expect((await mlflow("PATCH", `logged-models/${id}/tags`, { creds: t.creds, json: { tags: kv({ a: "2", b: "x" }) } })).status).toBe(200);
  const got = await getModel(t, id);
  expect(got.body.model.data.params).toEqual(expect.arrayContaining(kv({ lr: "0.1", depth: "3" })));
  expect(got.body.model.info.tags).toEqual(expect.arrayContaining(kv({ a: "2", b: "x" })));
  expect((await mlflow("DELETE", `logged-models/${id}/tags/b`, { creds: t.creds })).status).toBe(200);
  expectMlflowError(await mlflow("DELETE", `logged-models/${id}/tags/b`, { creds: t.creds }), 404, "RESOURCE_DOES_NOT_EXIST", /No tag with key 'b'/);
  expect((await getModel(t, id)).body.model.info.tags).toEqual(kv({ a: "2" }));
});

test("delete is soft: get needs allow_deleted, search skips it, writes are 404", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const m = await create(t, { experiment_id: project.id });
  const id = m.info.model_id;
  expect((await mlflow("DELETE", `logged-models/${id}`, { creds: t.creds })).status).toBe(200);
  expectMlflowError(await getModel(t, id), 404, "RESOURCE_DOES_NOT_EXIST");
  const kept = await getModel(t, id, { allow_deleted: "true" });
  expect(kept.status, kept.text).toBe(200);
  expect((await search(t, { experiment_ids: [project.id] })).body.models).toEqual([]);
  expectMlflowError(await mlflow("DELETE", `logged-models/${id}`, { creds: t.creds }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await mlflow("PATCH", `logged-models/${id}/tags`, { creds: t.creds, json: { tags: kv({ a: "1" }) } }), 404, "RESOURCE_DOES_NOT_EXIST");
});

test("search: experiment_ids, filter on attributes, params and tags, order_by, paging", async () => {
  const t = await makeTeam();
  const [p1, p2] = [await makeProject(t), await makeProject(t)];
  const runId = await makeRun(t, p1.name);
  const a = await create(t, { experiment_id: p1.id, name: "alpha", model_type: "sk", params: kv({ lr: "0.1" }), tags: kv({ env: "prod" }), source_run_id: runId });
  const b = await create(t, { experiment_id: p1.id, name: "beta", params: kv({ lr: "0.2" }) });
  const c = await create(t, { experiment_id: p2.id, name: "gamma" });
  await mlflow("PATCH", `logged-models/${b.info.model_id}`, { creds: t.creds, json: { status: "LOGGED_MODEL_READY" } });
  const names = (r: { status: number; text: string; body: { models: { info: { name: string } }[] } }) => {
    expect(r.status, r.text).toBe(200);
    return r.body.models.map((m) => m.info.name);
  };
  // Newest first by default.
  expect(names(await search(t, { experiment_ids: [p1.id] }))).toEqual(["beta", "alpha"]);
  expect(names(await search(t, { experiment_ids: [p1.id, p2.id], order_by: [{ field_name: "name", ascending: true }] }))).toEqual(["alpha", "beta", "gamma"]);
  expect(names(await search(t, { experiment_ids: [p1.id], filter: "name = 'alpha'" }))).toEqual(["alpha"]);
  expect(names(await search(t, { experiment_ids: [p1.id], filter: "params.lr = '0.2'" }))).toEqual(["beta"]);
  expect(names(await search(t, { experiment_ids: [p1.id], filter: "tags.env = 'prod' AND model_type = 'sk'" }))).toEqual(["alpha"]);
  expect(names(await search(t, { experiment_ids: [p1.id], filter: "status = 'READY'" }))).toEqual(["beta"]);
  expect(names(await search(t, { experiment_ids: [p1.id], filter: `source_run_id = '${runId}'` }))).toEqual(["alpha"]);
  const page1 = await search(t, { experiment_ids: [p1.id, p2.id], max_results: 2, order_by: [{ field_name: "name" }] });
  expect(names(page1)).toEqual(["alpha", "beta"]);
  const page2 = await search(t, { experiment_ids: [p1.id, p2.id], max_results: 2, order_by: [{ field_name: "name" }], page_token: page1.body.next_page_token });
  expect(names(page2)).toEqual(["gamma"]);
  expect(c.info.experiment_id).toBe(p2.id);
  expectMlflowError(await search(t, {}), 400, "INVALID_PARAMETER_VALUE", /'experiment_ids'/);
  expectMlflowError(await search(t, { experiment_ids: [p1.id], filter: "size > 3" }), 400, "INVALID_PARAMETER_VALUE", /size/);
  expectMlflowError(await search(t, { experiment_ids: [p1.id], order_by: [{ field_name: "size" }] }), 400, "INVALID_PARAMETER_VALUE", /size/);
  expect(a.info.model_id).not.toBe(b.info.model_id);
});

test("registering a logged model: models:/<id> source, model_id, download URI, mlflow.modelVersions tag", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const m = await create(t, { experiment_id: project.id, name: "net" });
  const id = m.info.model_id;
  const name = `reg-${uniq()}`;
  expect((await mlflow("POST", "registered-models/create", { creds: t.creds, json: { name } })).status).toBe(200);
  const v = await mlflow("POST", "model-versions/create", { creds: t.creds, json: { name, source: `models:/${id}`, model_id: id } });
  expect(v.status, v.text).toBe(200);
  expect(v.body.model_version).toMatchObject({ version: "1", model_id: id, source: `models:/${id}` });
  const uri = await mlflow("GET", "model-versions/get-download-uri", { creds: t.creds, query: { name, version: "1" } });
  expect(uri.body.artifact_uri).toBe(m.info.artifact_uri);
  const tags = (await getModel(t, id)).body.model.info.tags;
  expect(tags).toEqual([{ key: "mlflow.modelVersions", value: `[{"name": "${name}", "version": "1"}]` }]);
  // The artifact location itself, with model_id, is accepted; outside it is not.
  const inside = await mlflow("POST", "model-versions/create", { creds: t.creds, json: { name, source: `${m.info.artifact_uri}/sub`, model_id: id } });
  expect(inside.status, inside.text).toBe(200);
  const outside = await mlflow("POST", "model-versions/create", { creds: t.creds, json: { name, source: `mlflow-artifacts:/${project.id}/models/m-other/artifacts`, model_id: id } });
  expectMlflowError(outside, 400, "INVALID_PARAMETER_VALUE", /model_id/);
  // Another team's logged model cannot be registered.
  const other = await makeTeam();
  const theirs = await create(other, { experiment_id: (await makeProject(other)).id });
  const stolen = await mlflow("POST", "model-versions/create", { creds: t.creds, json: { name, source: `models:/${theirs.info.model_id}`, model_id: theirs.info.model_id } });
  expectMlflowError(stolen, 400, "INVALID_PARAMETER_VALUE", /model_id/);
});

test("another team gets 404 and a read key gets 403 on logged models", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const m = await create(t, { experiment_id: project.id });
  const id = m.info.model_id;
  const other = await makeTeam();
  expectMlflowError(await getModel(other, id), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await mlflow("PATCH", `logged-models/${id}`, { creds: other.creds, json: { status: "LOGGED_MODEL_READY" } }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await search(other, { experiment_ids: [project.id] }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await mlflow("POST", "logged-models", { creds: other.creds, json: { experiment_id: project.id } }), 404, "RESOURCE_DOES_NOT_EXIST");
  const read = await makeKey(t, ["read"]);
  expectMlflowError(await mlflow("DELETE", `logged-models/${id}`, { creds: { key: read.key } }), 403, "PERMISSION_DENIED");
  expect((await getModel(t, id)).status).toBe(200);
});

test("runs/outputs: a run names the logged models it produced; both must be the team's", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const runId = await makeRun(t, project.name);
  const m = await create(t, { experiment_id: project.id, source_run_id: runId });
  const out = (creds: Team["creds"], json: unknown) => mlflow("POST", "runs/outputs", { creds, json });
  const ok = await out(t.creds, { run_id: runId, models: [{ model_id: m.info.model_id, step: "0" }] });
  expect(ok.status, ok.text).toBe(200);
  expect(ok.body).toEqual({});
  expectMlflowError(await out(t.creds, { models: [] }), 400, "INVALID_PARAMETER_VALUE", /'run_id'/);
  expectMlflowError(await out(t.creds, { run_id: runId }), 400, "INVALID_PARAMETER_VALUE", /'models'/);
  expectMlflowError(await out(t.creds, { run_id: runId, models: [{ model_id: "m-00000000000000000000000000000000" }] }), 404, "RESOURCE_DOES_NOT_EXIST");
  const other = await makeTeam();
  expectMlflowError(await out(other.creds, { run_id: runId, models: [{ model_id: m.info.model_id }] }), 404, "RESOURCE_DOES_NOT_EXIST");
});
