import { expect, test } from "vitest";
import { api, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeProject, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's experiments API (= Sightline projects), as MLflow's server answers it.

async function create(t: Team, name: string, tags: { key: string; value: string }[] = []): Promise<string> {
  const res = await mlflow("POST", "experiments/create", { creds: t.creds, json: { name, tags } });
  expect(res.status, res.text).toBe(200);
  return res.body.experiment_id;
}
const get = (t: Team, id: string) => mlflow("GET", "experiments/get", { creds: t.creds, query: { experiment_id: id } });
const post = (t: Team, path: string, json: unknown) => mlflow("POST", path, { creds: t.creds, json });

test("create, get, get-by-name: the Experiment message with MLflow's fields only", async () => {
  const t = await makeTeam();
  const name = `My experiment / ${uniq()} (ü)`;
  const before = Date.now();
  const id = await create(t, name, [{ key: "team", value: "vision" }]);
  expect(id).toMatch(/^prj_/);
  const got = await get(t, id);
  expect(got.status, got.text).toBe(200);
  const e = got.body.experiment;
  expect(Object.keys(e).sort()).toEqual(["artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name", "tags"]);
  expect(e).toMatchObject({ experiment_id: id, name, artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: "active", tags: [{ key: "team", value: "vision" }] });
  expect(e.creation_time).toBeGreaterThanOrEqual(before - 5000);
  expect(typeof e.last_update_time).toBe("number");

  const byName = await mlflow("GET", "experiments/get-by-name", { creds: t.creds, query: { experiment_name: name } });
  expect(byName.status, byName.text).toBe(200);
  expect(byName.body.experiment).toEqual(e);

  // The native API sees the same project, its free-text name kept as given.
  const native = await api("GET", `/api/v1/projects/${id}`, { creds: t.creds });
  expect(native.body.project.name).toBe(name);
  // artifact_location is accepted and ignored: artifacts live in Sightline's store.
  const other = await post(t, "experiments/create", { name: `x-${uniq()}`, artifact_location: "s3://elsewhere/x" });
  expect(other.status, other.text).toBe(200);
  expect((await get(t, other.body.experiment_id)).body.experiment.artifact_location).toBe(`mlflow-artifacts:/${other.body.experiment_id}`);
});

test("experiment 0 is the team's Default project; a native project is an experiment", async () => {
  const t = await makeTeam();
  const zero = await get(t, "0");
  expect(zero.status, zero.text).toBe(200);
  expect(zero.body.experiment.name).toBe("Default");
  const byName = await mlflow("GET", "experiments/get-by-name", { creds: t.creds, query: { experiment_name: "Default" } });
  expect(byName.body.experiment.experiment_id).toBe(zero.body.experiment.experiment_id);
  const p = await makeProject(t);
  expect((await get(t, p.id)).body.experiment).toMatchObject({ experiment_id: p.id, name: p.name, tags: [], lifecycle_stage: "active" });
});

test("errors: missing, duplicate, bad input, each with MLflow's code", async () => {
  const t = await makeTeam();
  expectMlflowError(await get(t, "prj_00000000000000000000"), 404, "RESOURCE_DOES_NOT_EXIST", /experiment/i);
  expectMlflowError(await get(t, "12345"), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await mlflow("GET", "experiments/get", { creds: t.creds }), 400, "INVALID_PARAMETER_VALUE", /experiment_id/);
  expectMlflowError(
    await mlflow("GET", "experiments/get-by-name", { creds: t.creds, query: { experiment_name: "nope" } }),
    404,
    "RESOURCE_DOES_NOT_EXIST",
    /Could not find experiment with name 'nope'/,
  );
  expectMlflowError(await post(t, "experiments/create", {}), 400, "INVALID_PARAMETER_VALUE", /'name'/);
  expectMlflowError(await post(t, "experiments/create", { name: "" }), 400, "INVALID_PARAMETER_VALUE", /name/);
  expectMlflowError(await post(t, "experiments/create", { name: 42 }), 400, "INVALID_PARAMETER_VALUE", /name/);
  expectMlflowError(await post(t, "experiments/create", { name: "x".repeat(501) }), 400, "INVALID_PARAMETER_VALUE", /'name' exceeds the maximum length of 500/);
  expectMlflowError(await post(t, "experiments/create", { name: "a\u0000b" }), 400, "INVALID_PARAMETER_VALUE", /NUL/);
  const name = `dup-${uniq()}`;
  await create(t, name);
  expectMlflowError(await post(t, "experiments/create", { name }), 400, "RESOURCE_ALREADY_EXISTS", new RegExp(name));
  // Tag limits (validation.py): key ≤ 250 of MLflow's characters, value ≤ 20,000.
  const tagged = (key: string, value: string) => post(t, "experiments/create", { name: `t-${uniq()}`, tags: [{ key, value }] });
  expectMlflowError(await tagged("k".repeat(251), "v"), 400, "INVALID_PARAMETER_VALUE", /'tags\[0\]\.key' exceeds the maximum length of 250/);
  expectMlflowError(await tagged("k", "v".repeat(20001)), 400, "INVALID_PARAMETER_VALUE", /'tags\[0\]\.value' exceeds the maximum length of 20000/);
  expectMlflowError(await tagged("bad*key", "v"), 400, "INVALID_PARAMETER_VALUE", /Names may only contain/);
  expectMlflowError(await tagged("../up", "v"), 400, "INVALID_PARAMETER_VALUE", /resolve to/);
  expect((await tagged("k".repeat(250), "v".repeat(20000))).status).toBe(200);
});

test("update renames; a taken name or a deleted experiment is refused", async () => {
  const t = await makeTeam();
  const id = await create(t, `a-${uniq()}`);
  const taken = `b-${uniq()}`;
  await create(t, taken);
  const before = (await get(t, id)).body.experiment;
  const renamed = `renamed ${uniq()}`;
  const res = await post(t, "experiments/update", { experiment_id: id, new_name: renamed });
  expect(res.status, res.text).toBe(200);
  expect(res.body).toEqual({});
  const after = (await get(t, id)).body.experiment;
  expect(after.name).toBe(renamed);
  expect(after.last_update_time).toBeGreaterThanOrEqual(before.last_update_time);
  expectMlflowError(await post(t, "experiments/update", { experiment_id: id, new_name: taken }), 400, "RESOURCE_ALREADY_EXISTS");
  expectMlflowError(await post(t, "experiments/update", { experiment_id: id }), 400, "INVALID_PARAMETER_VALUE", /new_name/);
  expectMlflowError(await post(t, "experiments/update", { experiment_id: "prj_00000000000000000000", new_name: "x" }), 404, "RESOURCE_DOES_NOT_EXIST");
  await post(t, "experiments/delete", { experiment_id: id });
  expectMlflowError(await post(t, "experiments/update", { experiment_id: id, new_name: `c-${uniq()}` }), 400, "INVALID_STATE", /non-active/);
});

test("delete is soft: restorable, name stays taken, native list leaves it out, runs follow", async () => {
  const t = await makeTeam();
  const name = `doomed-${uniq()}`;
  const id = await create(t, name);
  const run = await api("POST", `/api/v1/projects/${id}/runs`, { creds: t.creds, json: {} });
  expect(run.status, run.text).toBe(201);
  const lone = (await api("POST", `/api/v1/projects/${id}/runs`, { creds: t.creds, json: {} })).body.run.id;
  // A run deleted on its own before the experiment stays deleted after the restore.
  await sql("update runs set deleted_at = now() - interval '1 hour' where id = $1", [lone]);
  const deletedAt = async (runId: string) => (await sql<{ d: Date | null }>("select deleted_at as d from runs where id = $1", [runId]))[0]?.d;

  const del = await post(t, "experiments/delete", { experiment_id: id });
  expect(del.status, del.text).toBe(200);
  expect((await get(t, id)).body.experiment.lifecycle_stage).toBe("deleted");
  expectMlflowError(await post(t, "experiments/delete", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post(t, "experiments/create", { name }), 400, "RESOURCE_ALREADY_EXISTS", /deleted state/);
  const list = await api("GET", "/api/v1/projects", { creds: t.creds });
  expect(list.body.projects.map((p: any) => p.id)).not.toContain(id);
  expect(await deletedAt(run.body.run.id)).not.toBeNull();
  expectMlflowError(await post(t, "experiments/set-experiment-tag", { experiment_id: id, key: "a", value: "b" }), 400, "INVALID_PARAMETER_VALUE", /active/);

  const restored = await post(t, "experiments/restore", { experiment_id: id });
  expect(restored.status, restored.text).toBe(200);
  expect((await get(t, id)).body.experiment.lifecycle_stage).toBe("active");
  expectMlflowError(await post(t, "experiments/restore", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
  expect((await api("GET", "/api/v1/projects", { creds: t.creds })).body.projects.map((p: any) => p.id)).toContain(id);
  expect(await deletedAt(run.body.run.id)).toBeNull();
  expect(await deletedAt(lone)).not.toBeNull();
  expectMlflowError(await post(t, "experiments/delete", {}), 400, "INVALID_PARAMETER_VALUE", /experiment_id/);
});

test("set-experiment-tag and delete-experiment-tag: last write wins; a missing tag is 404", async () => {
  const t = await makeTeam();
  const id = await create(t, `tags-${uniq()}`);
  expect((await post(t, "experiments/set-experiment-tag", { experiment_id: id, key: "stage", value: "dev" })).status).toBe(200);
  expect((await post(t, "experiments/set-experiment-tag", { experiment_id: id, key: "stage", value: "prod" })).status).toBe(200);
  expect((await post(t, "experiments/set-experiment-tag", { experiment_id: id, key: "mlflow.note.content", value: "" })).status).toBe(200);
  const tags = (await get(t, id)).body.experiment.tags;
  expect(tags).toEqual(expect.arrayContaining([{ key: "stage", value: "prod" }, { key: "mlflow.note.content", value: "" }]));
  expect(tags).toHaveLength(2);
  expectMlflowError(await post(t, "experiments/set-experiment-tag", { experiment_id: id, value: "x" }), 400, "INVALID_PARAMETER_VALUE", /'key'/);
  expectMlflowError(await post(t, "experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v".repeat(20001) }), 400, "INVALID_PARAMETER_VALUE", /'value' exceeds/);

  expect((await post(t, "experiments/delete-experiment-tag", { experiment_id: id, key: "stage" })).status).toBe(200);
  expect((await get(t, id)).body.experiment.tags).toEqual([{ key: "mlflow.note.content", value: "" }]);
  expectMlflowError(await post(t, "experiments/delete-experiment-tag", { experiment_id: id, key: "stage" }), 404, "RESOURCE_DOES_NOT_EXIST", /No tag with name: stage/);
  expectMlflowError(await post(t, "experiments/set-experiment-tag", { experiment_id: "prj_00000000000000000000", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
});

test("another team can neither see nor touch an experiment", async () => {
  const owner = await makeTeam();
  const outsider = await makeTeam();
  const name = `secret-${uniq()}`;
  const id = await create(owner, name, [{ key: "k", value: "v" }]);
  expectMlflowError(await get(outsider, id), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await mlflow("GET", "experiments/get-by-name", { creds: outsider.creds, query: { experiment_name: name } }), 404, "RESOURCE_DOES_NOT_EXIST");
  for (const [path, extra] of [
    ["experiments/update", { new_name: "stolen" }],
    ["experiments/delete", {}],
    ["experiments/restore", {}],
    ["experiments/set-experiment-tag", { key: "k", value: "x" }],
    ["experiments/delete-experiment-tag", { key: "k" }],
  ] as const) {
    expectMlflowError(await post(outsider, path, { experiment_id: id, ...extra }), 404, "RESOURCE_DOES_NOT_EXIST");
  }
  const search = await post(outsider, "experiments/search", { filter: `name = '${name}'`, view_type: "ALL" });
  expect(search.body.experiments ?? []).toEqual([]);
  // The outsider creating the same name makes its own experiment.
  expect(await create(outsider, name)).not.toBe(id);
  const mine = (await get(owner, id)).body.experiment;
  expect(mine).toMatchObject({ name, lifecycle_stage: "active", tags: [{ key: "k", value: "v" }] });
});
