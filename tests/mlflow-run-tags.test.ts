import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeProject, makeRun, makeTeam, type Team } from "./helpers/harness";
import { createMlflowRun, expectMlflowError, getMlflowRun, mlflowPost, nativeRun, tagsOf } from "./helpers/mlflow";

// MLflow run tags: the ones that mean something to Sightline live in its
// columns (name, notes, git commit, parent) and read the same through both
// doors; the rest are key-values, last write wins.

const create = createMlflowRun;
const getRun = getMlflowRun;
const native = nativeRun;
const post = mlflowPost;

test("tags map onto name, notes, git and parent both ways; other tags are last-write-wins key-values", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const parent = await makeRun(team, project.name);
  const res = await api("POST", `/api/v1/projects/${project.id}/runs`, { creds: team.creds, json: { name: "native", notes: "n1", git: { commit: "c1" } } });
  const runId = res.body.run.id as string;
  // Native → MLflow.
  expect(tagsOf(await getRun(team, runId))).toMatchObject({ "mlflow.runName": "native", "mlflow.note.content": "n1", "mlflow.source.git.commit": "c1" });
  // MLflow → native.
  const set = async (key: string, value: string) => expect((await post(team, "runs/set-tag", { run_id: runId, key, value })).status).toBe(200);
  await set("mlflow.runName", "via-mlflow");
  await set("mlflow.note.content", "n2");
  await set("mlflow.source.git.commit", "c2");
  await set("mlflow.parentRunId", parent);
  await set("team", "a");
  await set("team", "b");
  await set("mlflow.runName", ""); // ignored, as MLflow does
  const n = await native(team, runId);
  expect(n).toMatchObject({ name: "via-mlflow", notes: "n2", git: { commit: "c2" }, parent_id: parent, kv_tags: { team: "b" } });
  const tags = tagsOf(await getRun(team, runId));
  expect(tags).toMatchObject({ "mlflow.runName": "via-mlflow", "mlflow.note.content": "n2", "mlflow.parentRunId": parent, team: "b" });
  await api("PATCH", `/api/v1/runs/${runId}`, { creds: team.creds, json: { name: "renamed", notes: "n3", tags: ["gpu", "v1"] } });
  expect(tagsOf(await getRun(team, runId))).toMatchObject({ "mlflow.runName": "renamed", "mlflow.note.content": "n3", "sightline.labels": "gpu, v1" });
  // A parent must be a run of this team.
  const other = await makeTeam();
  const foreign = await makeRun(other);
  for (const bad of [foreign, "run_nope", runId]) {
    expectMlflowError(await post(team, "runs/set-tag", { run_id: runId, key: "mlflow.parentRunId", value: bad }), 400, "INVALID_PARAMETER_VALUE", /mlflow\.parentRunId/);
  }
  expectMlflowError(await post(team, "runs/set-tag", { run_id: runId, key: "sightline.labels", value: "x" }), 400, "INVALID_PARAMETER_VALUE", /read-only/);
  // A nested run names its parent at creation.
  const child = await create(team, { experiment_id: project.id, tags: [{ key: "mlflow.parentRunId", value: parent }] });
  expect((await native(team, child.info.run_id)).parent_id).toBe(parent);
});

test("delete-tag removes a tag or its column's value; a tag the run lacks is RESOURCE_DOES_NOT_EXIST", async () => {
  const team = await makeTeam();
  const project = await makeProject(team);
  const parent = await makeRun(team, project.name);
  const run = await create(team, {
    experiment_id: project.id,
    tags: [
      { key: "keep", value: "1" },
      { key: "drop", value: "2" },
      { key: "mlflow.note.content", value: "n" },
      { key: "mlflow.source.git.commit", value: "c" },
      { key: "mlflow.parentRunId", value: parent },
    ],
  });
  const runId = run.info.run_id;
  for (const key of ["drop", "mlflow.note.content", "mlflow.source.git.commit", "mlflow.parentRunId"]) {
    const res = await post(team, "runs/delete-tag", { run_id: runId, key });
    expect(res.status, res.text).toBe(200);
    expectMlflowError(await post(team, "runs/delete-tag", { run_id: runId, key }), 404, "RESOURCE_DOES_NOT_EXIST", new RegExp(`No tag with name: ${key.replace(/\./g, "\\.")} in run with id ${runId}`));
  }
  const tags = tagsOf(await getRun(team, runId));
  expect(Object.keys(tags).sort()).toEqual(["keep", "mlflow.runName"]);
  expect(await native(team, runId)).toMatchObject({ notes: "", parent_id: null, kv_tags: { keep: "1" } });
  expectMlflowError(await post(team, "runs/delete-tag", { run_id: runId, key: "mlflow.runName" }), 400, "INVALID_PARAMETER_VALUE", /cannot be deleted/);
  expectMlflowError(await post(team, "runs/delete-tag", { run_id: runId }), 400, "INVALID_PARAMETER_VALUE", /'key'/);
});
