import { beforeAll, describe, expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeProject, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's runs/search over runs made through the native API: the grammar on
// every entity kind, orders with missing values and NaN, view types, paging
// and tenancy. kv_tags and deleted_at are set in SQL, standing in for the
// MLflow set-tag and delete routes.

let team: Team;
let prjA: string;
let prjB: string;
const ids: Record<string, string> = {};

async function run(project: string, name: string, config: Record<string, unknown>, loss?: number | string) {
  const res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name, config } });
  expect(res.status, res.text).toBe(201);
  const id = res.body.run.id as string;
  if (loss !== undefined) {
    const m = await api("POST", `/api/v1/runs/${id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { loss: { steps: [0, 1], values: [9, loss] } } } });
    expect(m.status, m.text).toBe(200);
  }
  return id;
}

const search = (json: Record<string, unknown>, creds = team.creds) => mlflow("POST", "runs/search", { creds, json: { experiment_ids: [prjA, prjB], ...json } });

async function names(json: Record<string, unknown>): Promise<string[]> {
  const res = await search(json);
  expect(res.status, res.text).toBe(200);
  return (res.body.runs ?? []).map((r: any) => r.info.run_name);
}

beforeAll(async () => {
  team = await makeTeam("Search");
  prjA = (await makeProject(team)).id;
  prjB = (await makeProject(team)).id;
  // Made in this order, so start_time rises alpha → eps.
  ids.alpha = await run(prjA, "alpha", { lr: "0.1", layers: 3 }, 0.5);
  ids.beta = await run(prjA, "beta", { lr: "0.01" }, 0.2);
  ids.gamma = await run(prjA, "Gamma", {}, "NaN");
  ids.delta = await run(prjA, "delta", { lr: "0.3" }, "Infinity");
  ids.eps = await run(prjB, "eps", { lr: "1e-3" });
  await sql(`update runs set kv_tags = $2::jsonb where id = $1`, [ids.alpha, JSON.stringify({ team: "vision", "mlflow.user": "ann" })]);
  await sql(`update runs set kv_tags = $2::jsonb where id = $1`, [ids.beta, JSON.stringify({ team: "nlp" })]);
  await sql(`update runs set deleted_at = now() where id = $1`, [ids.delta]);
  const fin = await api("POST", `/api/v1/runs/${ids.alpha}/finish`, { creds: team.creds, json: { status: "finished" } });
  expect(fin.status, fin.text).toBe(200);
  const failed = await api("POST", `/api/v1/runs/${ids.gamma}/finish`, { creds: team.creds, json: { status: "failed" } });
  expect(failed.status, failed.text).toBe(200);
});

describe("filter grammar", () => {
  test.each([
    ["metrics.loss < 0.3", ["beta"]],
    ["metrics.loss <= 0.5", ["beta", "alpha"]],
    ["metrics.loss > 0.3", ["alpha"]],
    ["metrics.loss >= 0.2", ["beta", "alpha"]],
    ["metrics.loss = 0.5", ["alpha"]],
    ["metrics.loss != 0.5", ["Gamma", "beta"]],
    ["metrics.loss > -1e3 and metrics.loss < .25", ["beta"]],
    ["metric.`loss` >= 0.5", ["alpha"]],
    ['metrics."loss" < 1', ["beta", "alpha"]],
  ])("metrics: %s", async (filter, expected) => {
    expect(await names({ filter })).toEqual(expected);
  });

  test.each([
    ["params.lr = '0.1'", ["alpha"]],
    ["params.lr != '0.1'", ["eps", "beta"]],
    ["params.lr LIKE '0.0%'", ["beta"]],
    ["params.lr like '%1'", ["beta", "alpha"]],
    ["params.lr ILIKE '1E%'", ["eps"]],
    ["params.lr LIKE '1E%'", []],
    ["params.lr IN ('0.1', '1e-3')", ["eps", "alpha"]],
    ["params.lr NOT IN ('0.1')", ["eps", "beta"]],
    ["params.lr IS NULL", ["Gamma"]],
    ["param.lr IS NOT NULL and params.layers = '3'", ["alpha"]],
    ['params."lr" = "0.01"', ["beta"]],
  ])("params: %s", async (filter, expected) => {
    expect(await names({ filter })).toEqual(expected);
  });

  test.each([
    ["tags.team = 'vision'", ["alpha"]],
    ["tags.team != 'vision'", ["beta"]],
    ["tags.team LIKE 'n%'", ["beta"]],
    ["tags.team ILIKE 'VIS%'", ["alpha"]],
    ["tags.team IS NULL", ["eps", "Gamma"]],
    ["tags.team IN ('nlp', 'x')", ["beta"]],
    ["tags.`mlflow.runName` = 'beta'", ["beta"]],
    ["tags.mlflow.runName ILIKE 'gamma'", ["Gamma"]],
    ["tags.'team' = 'nlp'", ["beta"]],
  ])("tags: %s", async (filter, expected) => {
    expect(await names({ filter })).toEqual(expected);
  });

  test.each([
    ["attributes.status = 'FINISHED'", ["alpha"]],
    ["status != 'RUNNING'", ["Gamma", "alpha"]],
    ["attributes.status IN ('FAILED', 'FINISHED')", ["Gamma", "alpha"]],
    ["run_name = 'alpha'", ["alpha"]],
    ["attributes.run_name ILIKE 'g%'", ["Gamma"]],
    ["attributes.`run name` LIKE '%eta'", ["beta"]],
    ["attributes.user_id = 'ann'", ["alpha"]],
    ["attr.artifact_uri LIKE 'mlflow-artifacts:/%'", ["eps", "Gamma", "beta", "alpha"]],
  ])("attributes: %s", async (filter, expected) => {
    expect(await names({ filter })).toEqual(expected);
  });

  test("run_id IN, NOT IN; start_time and end_time compare as epoch milliseconds", async () => {
    expect(await names({ filter: `attributes.run_id IN ('${ids.alpha}', '${ids.eps}')` })).toEqual(["eps", "alpha"]);
    expect(await names({ filter: `run_id NOT IN ('${ids.alpha}', '${ids.eps}')` })).toEqual(["Gamma", "beta"]);
    const beta = (await search({ filter: `run_id = '${ids.beta}'` })).body.runs[0].info;
    expect(await names({ filter: `attributes.start_time >= ${beta.start_time}` })).toEqual(["eps", "Gamma", "beta"]);
    expect(await names({ filter: `created < ${beta.start_time}` })).toEqual(["alpha"]);
    const alpha = (await search({ filter: `run_id = '${ids.alpha}'` })).body.runs[0].info;
    expect(alpha.end_time).toBeTypeOf("number");
    expect(await names({ filter: `attributes.end_time = ${alpha.end_time}` })).toEqual(["alpha"]);
    expect(await names({ filter: `attributes.end_time > 0` })).toEqual(["Gamma", "alpha"]);
  });

  test.each([
    ["metrics.loss LIKE '1'", /operator 'LIKE' is not allowed for metric 'loss'/],
    ["params.lr > '1'", /operator '>' is not allowed for param 'lr'/],
    ["metrics.loss IN ('1')", /operator 'IN' is not allowed/],
    ["metrics.loss = 'x'", /expected a numeric value for metric 'loss'/],
    ["params.lr = 1", /expected a quoted string value for param 'lr'/],
    ["attributes.start_time = 'x'", /numeric attribute 'start_time'/],
    ["foo.x = '1'", /invalid entity type 'foo'/],
    ["attributes.bogus = 'x'", /invalid attribute key 'bogus'/],
    ["params.lr = 'unterminated", /unterminated/],
    ["params.lr = '1' OR params.lr = '2'", /only AND/],
    ["params.lr '1'", /expected an operator/],
    ["params.lr =", /expected a quoted string value/],
    ["params.lr <> '1'", /'<>'/],
    ["params.lr = '1' and", /expected a column/],
    ["params.lr IN 'a'", /parenthesized list/],
    ["params.lr IN ('a' 'b')", /expected ',' or '\)'/],
    ["metrics.loss > 1e999", /out of range/],
    ["params.lr = '1'; drop table runs", /unexpected character ';'/],
    ["attributes.status IS NULL", /operator 'IS NULL' is not allowed/],
  ])("%s → 400 naming the problem", async (filter, message) => {
    expectMlflowError(await search({ filter }), 400, "INVALID_PARAMETER_VALUE", message);
  });

  test("unquoted keys may hold '/', ':', '-' and letters of any script", async () => {
    await sql(`update runs set summary = summary || $2::jsonb where id = $1`, [ids.beta, JSON.stringify({ "train/val-loss:x": { last: 3, min: 3, max: 3, step: 0, count: 1 }, "pérdida": { last: 1, min: 1, max: 1, step: 0, count: 1 } })]);
    expect(await names({ filter: "metrics.train/val-loss:x > 2" })).toEqual(["beta"]);
    expect(await names({ filter: "metrics.pérdida = 1 and metrics.`train/val-loss:x`>=3" })).toEqual(["beta"]);
  });

  test("a quote inside a value is written twice", async () => {
    await sql(`update runs set kv_tags = kv_tags || $2::jsonb where id = $1`, [ids.eps, JSON.stringify({ note: "it's" })]);
    expect(await names({ filter: "tags.note = 'it''s'" })).toEqual(["eps"]);
    expect(await names({ filter: `tags.note = "it's"` })).toEqual(["eps"]);
  });
});

describe("order_by", () => {
  const all = { run_view_type: "ALL" };
  test("metrics: values, then NaN, then missing, in both directions", async () => {
    expect(await names({ ...all, order_by: ["metrics.loss ASC"] })).toEqual(["beta", "alpha", "delta", "Gamma", "eps"]);
    expect(await names({ ...all, order_by: ["metrics.loss DESC"] })).toEqual(["delta", "alpha", "beta", "Gamma", "eps"]);
  });

  test("params and tags: text order, missing last; ties by start_time DESC", async () => {
    expect(await names({ ...all, order_by: ["params.lr"] })).toEqual(["beta", "alpha", "delta", "eps", "Gamma"]);
    expect(await names({ ...all, order_by: ["params.lr desc"] })).toEqual(["eps", "delta", "alpha", "beta", "Gamma"]);
    expect(await names({ ...all, order_by: ["tags.team DESC"] })).toEqual(["alpha", "beta", "eps", "delta", "Gamma"]);
  });

  test("attributes, and the default order (start_time DESC)", async () => {
    expect(await names({ ...all })).toEqual(["eps", "delta", "Gamma", "beta", "alpha"]);
    expect(await names({ ...all, order_by: ["attributes.start_time ASC"] })).toEqual(["alpha", "beta", "Gamma", "delta", "eps"]);
    expect(await names({ ...all, order_by: ["attributes.run_name"] })).toEqual(["Gamma", "alpha", "beta", "delta", "eps"]);
    expect(await names({ ...all, order_by: ["status ASC", "run_name DESC"] })).toEqual(["Gamma", "alpha", "eps", "delta", "beta"]);
    expect(await names({ ...all, order_by: ["attributes.end_time DESC"] })).toEqual(["Gamma", "alpha", "eps", "delta", "beta"]);
  });

  test.each([
    [["metrics.loss sideways"], /expected ASC, DESC or the end/],
    [["metrics.loss", "metric.loss DESC"], /duplicate fields/],
    [["nope.x"], /invalid entity type 'nope'/],
    [["attributes.nope"], /invalid attribute key 'nope'/],
  ])("%j → 400", async (order_by, message) => {
    expectMlflowError(await search({ order_by }), 400, "INVALID_PARAMETER_VALUE", message);
  });
});

describe("view types, max_results, experiments, tenancy", () => {
  test("ACTIVE_ONLY (default), DELETED_ONLY, ALL; numbers as protobuf sends enums too", async () => {
    expect(await names({})).toEqual(["eps", "Gamma", "beta", "alpha"]);
    expect(await names({ run_view_type: "DELETED_ONLY" })).toEqual(["delta"]);
    expect(await names({ run_view_type: "ALL" })).toHaveLength(5);
    expect(await names({ run_view_type: 2 })).toEqual(["delta"]);
    const info = (await search({ run_view_type: "DELETED_ONLY" })).body.runs[0].info;
    expect(info.lifecycle_stage).toBe("deleted");
    expectMlflowError(await search({ run_view_type: "SOME" }), 400, "INVALID_PARAMETER_VALUE", /run_view_type/);
  });

  test("max_results: 1 to 50,000, as a number or an int64 string", async () => {
    expect(await names({ max_results: 2 })).toEqual(["eps", "Gamma"]);
    expect(await names({ max_results: "1" })).toEqual(["eps"]);
    expect((await search({ max_results: 50_000 })).status).toBe(200);
    expectMlflowError(await search({ max_results: 50_001 }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
    expectMlflowError(await search({ max_results: 0 }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
    expectMlflowError(await search({ max_results: "ten" }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
  });

  test("one experiment; unknown ids match nothing; \"0\" is the team's Default project", async () => {
    expect(await names({ experiment_ids: [prjB] })).toEqual(["eps"]);
    expect(await names({ experiment_ids: ["prj_nope", "12345", "x'y"] })).toEqual([]);
    expect(await names({ experiment_ids: [] })).toEqual([]);
    expect(await names({ experiment_ids: ["0"] })).toEqual([]);
    const id = await run("Default", "in-default", {});
    expect(await names({ experiment_ids: ["0"] })).toEqual(["in-default"]);
    expect(await names({ experiment_ids: [0] })).toEqual(["in-default"]);
    await sql(`delete from runs where id = $1`, [id]);
  });

  test("another team naming this team's experiments sees no runs; its Default is its own", async () => {
    const other = await makeTeam("Other");
    const res = await search({ filter: "" }, other.creds);
    expect(res.status, res.text).toBe(200);
    expect(res.body.runs ?? []).toEqual([]);
    const res0 = await mlflow("POST", "runs/search", { creds: other.creds, json: { experiment_ids: ["0", prjA] } });
    expect(res0.body.runs ?? []).toEqual([]);
  });

  test("a run reads as MLflow's Run message, with non-finite metrics as strings", async () => {
    const res = await search({ filter: `run_id IN ('${ids.alpha}', '${ids.gamma}')`, order_by: ["run_name"] });
    const [gamma, alpha] = res.body.runs;
    expect(alpha.info).toMatchObject({ run_id: ids.alpha, run_uuid: ids.alpha, experiment_id: prjA, status: "FINISHED", lifecycle_stage: "active", user_id: "ann" });
    expect(alpha.data.params).toEqual(expect.arrayContaining([{ key: "lr", value: "0.1" }, { key: "layers", value: "3" }]));
    expect(alpha.data.tags).toEqual(expect.arrayContaining([{ key: "team", value: "vision" }, { key: "mlflow.runName", value: "alpha" }]));
    expect(alpha.data.metrics).toEqual([expect.objectContaining({ key: "loss", value: 0.5, step: 1 })]);
    expect(gamma.data.metrics[0].value).toBe("NaN");
    expect(gamma.info.status).toBe("FAILED");
    expect(alpha.inputs).toEqual({ dataset_inputs: [] });
  });
});

describe("mapped tags and datasets", () => {
  test("tags MLflow keeps in columns (note, git commit, parent) filter as they read", async () => {
    const p = await api("PATCH", `/api/v1/runs/${ids.eps}`, { creds: team.creds, json: { notes: "a note" } });
    expect(p.status, p.text).toBe(200);
    await sql(`update runs set git = '{"commit": "abc123"}'::jsonb, parent_id = $2 where id = $1`, [ids.eps, ids.alpha]);
    expect(await names({ filter: "tags.`mlflow.note.content` = 'a note'" })).toEqual(["eps"]);
    expect(await names({ filter: "tags.mlflow.source.git.commit LIKE 'abc%'" })).toEqual(["eps"]);
    expect(await names({ filter: `tags.mlflow.parentRunId = '${ids.alpha}'` })).toEqual(["eps"]);
    expect(await names({ filter: "tags.`mlflow.note.content` IS NULL" })).toEqual(["Gamma", "beta", "alpha"]);
    const tags = (await search({ filter: `run_id = '${ids.eps}'` })).body.runs[0].data.tags;
    expect(tags).toEqual(expect.arrayContaining([{ key: "mlflow.note.content", value: "a note" }, { key: "mlflow.parentRunId", value: ids.alpha }]));
  });

  test("each run's datasets come with it (one query for the page)", async () => {
    await sql(
      `insert into run_datasets (team_id, run_id, name, digest, source_type, source, tags) values ($1, $2, 'train', 'd1', 'local', 'file:///x', '{"mlflow.data.context": "training"}'), ($1, $3, 'eval', 'd2', 'local', 'file:///y', '{}')`,
      [team.id, ids.beta, ids.gamma],
    );
    const res = await search({ filter: `run_id IN ('${ids.beta}', '${ids.gamma}', '${ids.alpha}')`, order_by: ["run_name"] });
    const [gamma, alpha, beta] = res.body.runs;
    expect(beta.inputs.dataset_inputs).toEqual([
      { tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "train", digest: "d1", source_type: "local", source: "file:///x" } },
    ]);
    expect(gamma.inputs.dataset_inputs.map((d: any) => d.dataset.name)).toEqual(["eval"]);
    expect(alpha.inputs.dataset_inputs).toEqual([]);
  });
});
