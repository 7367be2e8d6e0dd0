import { expect, test } from "vitest";
import { uniq } from "./helpers/api";
import { makeKey, makeRun, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's model registry (model_registry.proto) as MLflow's server answers it:
// registered models by name within the team, dense version numbers, aliases, stages.

const post = (t: Team, path: string, json: unknown) => mlflow("POST", path, { creds: t.creds, json });
const get = (t: Team, path: string, query: Record<string, string | string[]>) => mlflow("GET", path, { creds: t.creds, query });
const del = (t: Team, path: string, json: unknown) => mlflow("DELETE", path, { creds: t.creds, json });

async function createModel(t: Team, name = `model-${uniq()}`, extra: object = {}) {
  const res = await post(t, "registered-models/create", { name, ...extra });
  expect(res.status, res.text).toBe(200);
  return name;
}

async function createVersion(t: Team, name: string, runId: string, extra: object = {}) {
  const res = await post(t, "model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.body.model_version;
}

test("registered model: create, get, update, tags; MLflow's fields only", async () => {
  const t = await makeTeam();
  const name = await createModel(t, `bert ${uniq()}`, { tags: [{ key: "team", value: "nlp" }, { key: "empty" }], description: "first" });
  const got = await get(t, "registered-models/get", { name });
  expect(got.status, got.text).toBe(200);
  const m = got.body.registered_model;
  expect(Object.keys(m).sort()).toEqual(["aliases", "creation_timestamp", "description", "last_updated_timestamp", "latest_versions", "name", "tags"]);
  expect(m).toMatchObject({ name, description: "first", latest_versions: [], aliases: [] });
  expect(m.tags).toEqual(expect.arrayContaining([{ key: "team", value: "nlp" }, { key: "empty", value: "" }]));
  expect(typeof m.creation_timestamp).toBe("number");

  const upd = await mlflow("PATCH", "registered-models/update", { creds: t.creds, json: { name, description: "second" } });
  expect(upd.status, upd.text).toBe(200);
  expect(upd.body.registered_model.description).toBe("second");

  expect((await post(t, "registered-models/set-tag", { name, key: "team", value: "vision" })).status).toBe(200);
  expect((await del(t, "registered-models/delete-tag", { name, key: "empty" })).status).toBe(200);
  // Deleting a tag that is not there is not an error (as in MLflow).
  expect((await del(t, "registered-models/delete-tag", { name, key: "never" })).status).toBe(200);
  const after = await get(t, "registered-models/get", { name });
  expect(after.body.registered_model.tags).toEqual([{ key: "team", value: "vision" }]);
});

test("registered model errors: taken name, missing name, bad name, unknown model", async () => {
  const t = await makeTeam();
  const name = await createModel(t);
  expectMlflowError(await post(t, "registered-models/create", { name }), 400, "RESOURCE_ALREADY_EXISTS", new RegExp(`name=${name}\\) already exists`));
  expectMlflowError(await post(t, "registered-models/create", {}), 400, "INVALID_PARAMETER_VALUE", /'name'/);
  expectMlflowError(await post(t, "registered-models/create", { name: "a/b" }), 400, "INVALID_PARAMETER_VALUE", /cannot contain/);
  expectMlflowError(await post(t, "registered-models/create", { name, tags: [{ key: "", value: "x" }] }), 400, "INVALID_PARAMETER_VALUE", /'key'/);
  // Text Postgres cannot store is the caller's mistake, not a 500.
  expect((await post(t, "registered-models/create", { name: "a\u0000b" })).status).toBe(400);
  const unicodeTag = await post(t, "registered-models/create", { name: `ü-${uniq()}`, tags: [{ key: "größe", value: "x" }] });
  expect(unicodeTag.status, unicodeTag.text).toBe(200);
  expectMlflowError(await get(t, "registered-models/get", { name: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST", /name=nope not found/);
  expectMlflowError(await get(t, "registered-models/get", {}), 400, "INVALID_PARAMETER_VALUE", /'name'/);
  expectMlflowError(await post(t, "registered-models/set-tag", { name: "nope", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
  // Another team's name is free to take: names are per team.
  const other = await makeTeam();
  await createModel(other, name);
});

test("model versions: dense numbers, run link, tags, get, update, download URI for runs:/ sources", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  const v1 = await createVersion(t, name, runId, { run_link: "http://x/run", description: "d1", tags: [{ key: "k", value: "v" }] });
  expect(Object.keys(v1).sort()).toEqual(
    ["aliases", "creation_timestamp", "current_stage", "description", "last_updated_timestamp", "name", "run_id", "run_link", "source", "status", "tags", "version"].sort(),
  );
  expect(v1).toMatchObject({ name, version: "1", current_stage: "None", status: "READY", run_id: runId, run_link: "http://x/run", source: `runs:/${runId}/model` });
  const v2 = await createVersion(t, name, runId);
  expect(v2.version).toBe("2");

  const got = await get(t, "model-versions/get", { name, version: "1" });
  expect(got.status, got.text).toBe(200);
  expect(got.body.model_version).toMatchObject({ description: "d1", tags: [{ key: "k", value: "v" }] });

  const upd = await mlflow("PATCH", "model-versions/update", { creds: t.creds, json: { name, version: "2", description: "new" } });
  expect(upd.body.model_version.description).toBe("new");
  expect((await post(t, "model-versions/set-tag", { name, version: "2", key: "a", value: "b" })).status).toBe(200);
  expect((await del(t, "model-versions/delete-tag", { name, version: "1", key: "k" })).status).toBe(200);
  expect((await get(t, "model-versions/get", { name, version: "2" })).body.model_version.tags).toEqual([{ key: "a", value: "b" }]);
  expect((await get(t, "model-versions/get", { name, version: "1" })).body.model_version.tags).toEqual([]);

  const uri = await get(t, "model-versions/get-download-uri", { name, version: "1" });
  expect(uri.status, uri.text).toBe(200);
  const run = await mlflow("GET", "runs/get", { creds: t.creds, query: { run_id: runId } });
  const prj = run.body?.run?.info?.experiment_id;
  if (prj) expect(uri.body.artifact_uri).toBe(`mlflow-artifacts:/${prj}/${runId}/artifacts/model`);
  expect(uri.body.artifact_uri).toMatch(new RegExp(`^mlflow-artifacts:/prj_\\w+/${runId}/artifacts/model$`));

  // The model lists its newest version per stage.
  const model = await get(t, "registered-models/get", { name });
  expect(model.body.registered_model.latest_versions.map((v: { version: string }) => v.version)).toEqual(["2"]);
});

test("model version errors: bad version, unknown version, source checks, another team's run", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  await createVersion(t, name, runId);
  expectMlflowError(await get(t, "model-versions/get", { name, version: "x" }), 400, "INVALID_PARAMETER_VALUE", /'version' must be an integer/);
  expectMlflowError(await get(t, "model-versions/get", { name, version: "9" }), 404, "RESOURCE_DOES_NOT_EXIST", /version=9\) not found/);
  expectMlflowError(await post(t, "model-versions/create", { name, run_id: runId }), 400, "INVALID_PARAMETER_VALUE", /'source'/);
  expectMlflowError(await post(t, "model-versions/create", { name: "nope", source: `runs:/${runId}/m`, run_id: runId }), 404, "RESOURCE_DOES_NOT_EXIST");
  const bad = (source: string, run_id?: string) => post(t, "model-versions/create", { name, source, run_id });
  expectMlflowError(await bad("/tmp/model"), 400, "INVALID_PARAMETER_VALUE", /local path/);
  expectMlflowError(await bad(`mlflow-artifacts:/x/../../etc`, runId), 400, "INVALID_PARAMETER_VALUE", /relative path/);
  expectMlflowError(await bad(`runs:/${runId}/m`, "run_other"), 400, "INVALID_PARAMETER_VALUE", /run_id request parameter/);
  expectMlflowError(await bad(`mlflow-artifacts:/prj_x/run_y/artifacts/m`, runId), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  // A run of another team is as good as no run.
  const other = await makeTeam();
  const theirs = await makeRun(other);
  expectMlflowError(await bad(`runs:/${theirs}/m`, theirs), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  // An external store is taken as given.
  const s3 = await bad("s3://bucket/models/m", runId);
  expect(s3.status, s3.text).toBe(200);
  expect((await get(t, "model-versions/get-download-uri", { name, version: s3.body.model_version.version })).body.artifact_uri).toBe("s3://bucket/models/m");
});

test("20 concurrent version creates get versions 1..20", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  const made = await Promise.all(Array.from({ length: 20 }, () => createVersion(t, name, runId)));
  expect(made.map((v) => Number(v.version)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
});

test("aliases: set, move, get by alias, 'latest', reserved names; they follow version deletion", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  await createVersion(t, name, runId);
  await createVersion(t, name, runId);
  expect((await post(t, "registered-models/alias", { name, alias: "champion", version: "1" })).status).toBe(200);
  expect((await post(t, "registered-models/alias", { name, alias: "champion", version: 2 })).status).toBe(200);
  const byAlias = await get(t, "registered-models/alias", { name, alias: "champion" });
  expect(byAlias.status, byAlias.text).toBe(200);
  expect(byAlias.body.model_version).toMatchObject({ version: "2", aliases: ["champion"] });
  expect((await get(t, "registered-models/alias", { name, alias: "latest" })).body.model_version.version).toBe("2");
  expect((await get(t, "registered-models/get", { name })).body.registered_model.aliases).toEqual([{ alias: "champion", version: "2" }]);

  expectMlflowError(await post(t, "registered-models/alias", { name, alias: "latest", version: "1" }), 400, "INVALID_PARAMETER_VALUE", /reserved/);
  expectMlflowError(await post(t, "registered-models/alias", { name, alias: "v3", version: "1" }), 400, "INVALID_PARAMETER_VALUE", /reserved/);
  expectMlflowError(await post(t, "registered-models/alias", { name, alias: "a b", version: "1" }), 400, "INVALID_PARAMETER_VALUE", /alphanumerics/);
  expectMlflowError(await post(t, "registered-models/alias", { name, alias: "x", version: "7" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await get(t, "registered-models/alias", { name, alias: "nope" }), 400, "INVALID_PARAMETER_VALUE", /alias nope not found/);

  // Deleting version 2 takes its alias with it; numbers are not reused.
  expect((await del(t, "model-versions/delete", { name, version: "2" })).status).toBe(200);
  expectMlflowError(await get(t, "registered-models/alias", { name, alias: "champion" }), 400, "INVALID_PARAMETER_VALUE");
  expectMlflowError(await get(t, "model-versions/get", { name, version: "2" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expect((await createVersion(t, name, runId)).version).toBe("3");

  expect((await post(t, "registered-models/alias", { name, alias: "best", version: "1" })).status).toBe(200);
  expect((await del(t, "registered-models/alias", { name, alias: "best" })).status).toBe(200);
  expectMlflowError(await get(t, "registered-models/alias", { name, alias: "best" }), 400, "INVALID_PARAMETER_VALUE");
});

test("rename keeps versions and aliases; a taken new name is RESOURCE_ALREADY_EXISTS; delete cascades", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  const taken = await createModel(t);
  await createVersion(t, name, runId);
  await post(t, "registered-models/alias", { name, alias: "prod", version: "1" });
  const newName = `renamed-${uniq()}`;
  const ren = await post(t, "registered-models/rename", { name, new_name: newName });
  expect(ren.status, ren.text).toBe(200);
  expect(ren.body.registered_model.name).toBe(newName);
  expect((await get(t, "model-versions/get", { name: newName, version: "1" })).body.model_version.name).toBe(newName);
  expect((await get(t, "registered-models/alias", { name: newName, alias: "prod" })).body.model_version.version).toBe("1");
  expectMlflowError(await get(t, "registered-models/get", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post(t, "registered-models/rename", { name: newName, new_name: taken }), 400, "RESOURCE_ALREADY_EXISTS");
  expectMlflowError(await post(t, "registered-models/rename", { name: newName }), 400, "INVALID_PARAMETER_VALUE", /'new_name'/);

  expect((await del(t, "registered-models/delete", { name: newName })).status).toBe(200);
  expectMlflowError(await get(t, "model-versions/get", { name: newName, version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await del(t, "registered-models/delete", { name: newName }), 404, "RESOURCE_DOES_NOT_EXIST");
  // The query string form of DELETE works too.
  const q = await mlflow("DELETE", "registered-models/delete", { creds: t.creds, query: { name: taken } });
  expect(q.status, q.text).toBe(200);
});

test("stages: transition, archive_existing_versions, get-latest-versions (POST and GET)", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  for (let i = 0; i < 3; i++) await createVersion(t, name, runId);
  const tr = (version: string, stage: string, archive = false) =>
    post(t, "model-versions/transition-stage", { name, version, stage, archive_existing_versions: archive });
  expect((await tr("1", "production")).body.model_version.current_stage).toBe("Production");
  expect((await tr("2", "Staging")).body.model_version.current_stage).toBe("Staging");
  const t3 = await tr("3", "Production", true);
  expect(t3.status, t3.text).toBe(200);
  expect((await get(t, "model-versions/get", { name, version: "1" })).body.model_version.current_stage).toBe("Archived");
  expectMlflowError(await tr("2", "Archived", true), 400, "INVALID_PARAMETER_VALUE", /not an Active stage/);
  expectMlflowError(await tr("2", "Prod"), 400, "INVALID_PARAMETER_VALUE", /Invalid Model Version stage/);

  const latestPost = await post(t, "registered-models/get-latest-versions", { name, stages: ["Production"] });
  expect(latestPost.status, latestPost.text).toBe(200);
  expect(latestPost.body.model_versions.map((v: { version: string }) => v.version)).toEqual(["3"]);
  const latestGet = await get(t, "registered-models/get-latest-versions", { name, stages: ["staging", "archived"] });
  expect(latestGet.body.model_versions.map((v: { version: string }) => v.version)).toEqual(["1", "2"]);
  const all = await get(t, "registered-models/get-latest-versions", { name });
  expect(all.body.model_versions.map((v: { current_stage: string }) => v.current_stage).sort()).toEqual(["Archived", "Production", "Staging"]);
  expectMlflowError(await get(t, "registered-models/get-latest-versions", { name: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
});

test("search registered models: name =, LIKE, ILIKE, tags, order_by, paging", async () => {
  const t = await makeTeam();
  const p = `srch${uniq()}`;
  for (const [n, tag] of [["alpha", "a"], ["beta", "b"], ["gamma", "a"]] as const) {
    await createModel(t, `${p}-${n}`, { tags: [{ key: "group", value: tag }] });
  }
  await createModel(t, `other-${uniq()}`);
  const search = (query: Record<string, string | string[]>) => get(t, "registered-models/search", query);
  const names = (r: { body: { registered_models: { name: string }[] } }) => r.body.registered_models.map((m) => m.name);
  const all = [`${p}-alpha`, `${p}-beta`, `${p}-gamma`];
  expect(names(await search({ filter: `name = '${p}-alpha'` }))).toEqual([`${p}-alpha`]);
  expect(names(await search({ filter: `name LIKE '${p}-%ta'` }))).toEqual([`${p}-beta`]);
  expect(names(await search({ filter: `name LIKE '${p.toUpperCase()}-%'` }))).toEqual([]);
  expect(names(await search({ filter: `name ILIKE '${p.toUpperCase()}-%'` }))).toEqual(all);
  expect(names(await search({ filter: `name ILIKE '${p}-%' AND tags.group = 'a'` }))).toEqual([`${p}-alpha`, `${p}-gamma`]);
  expect(names(await search({ filter: `name ILIKE '${p}-%'`, order_by: ["name DESC"] }))).toEqual([...all].reverse());
  const page1 = await search({ filter: `name ILIKE '${p}-%'`, max_results: "2", order_by: "timestamp ASC" });
  expect(names(page1)).toEqual(all.slice(0, 2));
  const page2 = await search({ filter: `name ILIKE '${p}-%'`, max_results: "2", order_by: "timestamp ASC", page_token: page1.body.next_page_token });
  expect(names(page2)).toEqual(all.slice(2));
  expect(page2.body.next_page_token).toBeUndefined();
  // The clients' own clause that leaves prompts out matches models without the tag.
  await createModel(t, `${p}-prompt`, { tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }] });
  const noPrompts = `name ILIKE '${p}-%' AND tag.\`mlflow.prompt.is_prompt\` != 'true'`;
  expect(names(await search({ filter: noPrompts }))).toEqual(all);
  expect(names(await search({ filter: `name ILIKE '${p}-%' AND tags.group != 'a'` }))).toEqual([`${p}-beta`]);
  expectMlflowError(await search({ filter: "description = 'x'" }), 400, "INVALID_PARAMETER_VALUE", /description/);
  expectMlflowError(await search({ filter: "name = " }), 400, "INVALID_PARAMETER_VALUE");
  expectMlflowError(await search({ order_by: ["size"] }), 400, "INVALID_PARAMETER_VALUE", /order by key/);
  expectMlflowError(await search({ max_results: "1001" }), 400, "INVALID_PARAMETER_VALUE", /at most 1000/);
  expectMlflowError(await search({ page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE", /page token/);
  // Another team sees none of them.
  const other = await makeTeam();
  expect((await get(other, "registered-models/search", { filter: `name LIKE '${p}%'` })).body.registered_models).toEqual([]);
});

test("search model versions: name, run_id, source_path, version_number, tags; order and paging", async () => {
  const t = await makeTeam();
  const [r1, r2] = [await makeRun(t), await makeRun(t)];
  const name = await createModel(t);
  await createVersion(t, name, r1, { tags: [{ key: "q", value: "good" }] });
  await createVersion(t, name, r2);
  await createVersion(t, name, r1);
  const search = (query: Record<string, string | string[]>) => get(t, "model-versions/search", query);
  const versions = (r: { body: { model_versions: { version: string }[] } }) => r.body.model_versions.map((v) => v.version);
  expect(versions(await search({ filter: `name = '${name}'` }))).toEqual(["1", "2", "3"]);
  expect(versions(await search({ filter: `name = '${name}' AND run_id = '${r1}'` }))).toEqual(["1", "3"]);
  expect(versions(await search({ filter: `run_id IN ('${r2}')` }))).toEqual(["2"]);
  expect(versions(await search({ filter: `source_path = 'runs:/${r2}/model'` }))).toEqual(["2"]);
  expect(versions(await search({ filter: `name = '${name}' AND tags.q = 'good'` }))).toEqual(["1"]);
  expect(versions(await search({ filter: `name = '${name}' AND version_number > 1`, order_by: ["version_number DESC"] }))).toEqual(["3", "2"]);
  const p1 = await search({ filter: `name = '${name}'`, max_results: "2" });
  expect(versions(p1)).toEqual(["1", "2"]);
  expect(versions(await search({ filter: `name = '${name}'`, max_results: "2", page_token: p1.body.next_page_token }))).toEqual(["3"]);
  expectMlflowError(await search({ filter: "stage_x = 'a'" }), 400, "INVALID_PARAMETER_VALUE", /stage_x/);
  const other = await makeTeam();
  expect((await get(other, "model-versions/search", { filter: `name = '${name}'` })).body.model_versions).toEqual([]);
});

test("another team gets 404 and a read key gets 403 on the registry", async () => {
  const t = await makeTeam();
  const runId = await makeRun(t);
  const name = await createModel(t);
  await createVersion(t, name, runId);
  const other = await makeTeam();
  expectMlflowError(await get(other, "registered-models/get", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await get(other, "model-versions/get", { name, version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await post(other, "model-versions/create", { name, source: `runs:/${runId}/m`, run_id: runId }), 404, "RESOURCE_DOES_NOT_EXIST");
  expectMlflowError(await del(other, "registered-models/delete", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
  const read = await makeKey(t, ["read"]);
  const r = await mlflow("POST", "registered-models/set-tag", { creds: { key: read.key }, json: { name, key: "k", value: "v" } });
  expectMlflowError(r, 403, "PERMISSION_DENIED");
  expect((await mlflow("GET", "registered-models/get", { creds: { key: read.key }, query: { name } })).status).toBe(200);
});
