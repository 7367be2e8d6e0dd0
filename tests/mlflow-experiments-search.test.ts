import { expect, test } from "vitest";
import { uniq } from "./helpers/api";
import { makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's experiments/search: POST (the client's form) and GET, filters,
// order_by, view types and paging.

const search = (t: Team, json: Record<string, unknown>) => mlflow("POST", "experiments/search", { creds: t.creds, json });
const names = (res: { body: any }) => (res.body.experiments ?? []).map((e: any) => e.name);

async function create(t: Team, name: string, tags: { key: string; value: string }[] = []): Promise<string> {
  const res = await mlflow("POST", "experiments/create", { creds: t.creds, json: { name, tags } });
  expect(res.status, res.text).toBe(200);
  return res.body.experiment_id;
}

// alpha, Beta, gamma (created in that order), tagged; "delta" deleted.
async function seed() {
  const t = await makeTeam();
  const ids: Record<string, string> = {};
  ids.alpha = await create(t, "alpha", [{ key: "team", value: "cv" }, { key: "owner", value: "ada" }]);
  ids.Beta = await create(t, "Beta", [{ key: "team", value: "nlp" }]);
  ids.gamma = await create(t, "gamma", [{ key: "team", value: "cv-research" }]);
  ids.delta = await create(t, "delta");
  expect((await mlflow("POST", "experiments/delete", { creds: t.creds, json: { experiment_id: ids.delta } })).status).toBe(200);
  return { t, ids };
}

test("search: default order is newest first; view types; POST and GET agree", async () => {
  const { t } = await seed();
  const all = await search(t, {});
  expect(all.status, all.text).toBe(200);
  expect(names(all)).toEqual(["gamma", "Beta", "alpha"]);
  expect(all.body.next_page_token).toBeUndefined();
  expect(names(await search(t, { view_type: "DELETED_ONLY" }))).toEqual(["delta"]);
  expect(names(await search(t, { view_type: "ALL", order_by: ["name ASC"] })).sort()).toEqual(["Beta", "alpha", "delta", "gamma"].sort());
  expect(names(await search(t, { view_type: 2 }))).toEqual(["delta"]);

  const get = await mlflow("GET", "experiments/search", { creds: t.creds, query: { view_type: "ALL", order_by: ["creation_time DESC"], max_results: 10 } });
  expect(get.status, get.text).toBe(200);
  expect(names(get)).toEqual(["delta", "gamma", "Beta", "alpha"]);
  const getFiltered = await mlflow("GET", "experiments/search", { creds: t.creds, query: { filter: "tags.team = 'cv'" } });
  expect(names(getFiltered)).toEqual(["alpha"]);
  expect(get.body.experiments[0]).toMatchObject({ name: "delta", lifecycle_stage: "deleted" });
});

test("search filters: name and tags with = != LIKE ILIKE, IS NULL, times, IN, AND", async () => {
  const { t, ids } = await seed();
  const q = async (filter: string) => {
    const res = await search(t, { filter, order_by: ["name"] });
    expect(res.status, `${filter}: ${res.text}`).toBe(200);
    return names(res);
  };
  expect(await q("name = 'alpha'")).toEqual(["alpha"]);
  expect(await q("attribute.name != 'alpha'")).toEqual(["Beta", "gamma"]);
  expect(await q("name LIKE '%a%'")).toEqual(["Beta", "alpha", "gamma"]);
  expect(await q("name LIKE 'b%'")).toEqual([]);
  expect(await q("name ILIKE 'b%'")).toEqual(["Beta"]);
  expect(await q("tags.team = 'cv'")).toEqual(["alpha"]);
  expect(await q("tag.team LIKE 'cv%'")).toEqual(["alpha", "gamma"]);
  expect(await q("tags.team != 'cv'")).toEqual(["Beta", "gamma"]);
  expect(await q("tags.`owner` = 'ada'")).toEqual(["alpha"]);
  expect(await q("tags.\"team\" ILIKE 'NLP'")).toEqual(["Beta"]);
  expect(await q("tags.owner IS NULL")).toEqual(["Beta", "gamma"]);
  expect(await q("tags.owner IS NOT NULL")).toEqual(["alpha"]);
  expect(await q("tags.team LIKE 'cv%' and name != 'alpha'")).toEqual(["gamma"]);
  expect(await q(`experiment_id IN ('${ids.alpha}', '${ids.gamma}')`)).toEqual(["alpha", "gamma"]);
  expect(await q(`experiment_id NOT IN ('${ids.alpha}')`)).toEqual(["Beta", "gamma"]);

  const beta = (await search(t, { filter: "name = 'Beta'" })).body.experiments[0];
  expect(await q(`creation_time = ${beta.creation_time}`)).toContain("Beta");
  expect(await q(`creation_time > ${beta.creation_time}`)).not.toContain("Beta");
  expect(await q(`creation_time >= ${beta.creation_time} AND last_update_time >= 0`)).toEqual(expect.arrayContaining(["Beta", "gamma"]));
  expect(await q("creation_time < 0")).toEqual([]);
});

test("search order_by: each key, both directions", async () => {
  const { t } = await seed();
  const ordered = async (order_by: string[]) => names(await search(t, { order_by }));
  expect(await ordered(["creation_time ASC"])).toEqual(["alpha", "Beta", "gamma"]);
  expect(await ordered(["attribute.creation_time DESC"])).toEqual(["gamma", "Beta", "alpha"]);
  expect(await ordered(["`name` DESC"])).toEqual([...(await ordered(["name ASC"]))].reverse());
  // Renaming touches last_update_time, which then orders it last.
  const alphaId = (await search(t, { filter: "name = 'alpha'" })).body.experiments[0].experiment_id;
  await mlflow("POST", "experiments/update", { creds: t.creds, json: { experiment_id: alphaId, new_name: "alpha2" } });
  expect((await ordered(["last_update_time DESC"]))[0]).toBe("alpha2");
  const byId = (await search(t, { order_by: ["experiment_id"] })).body.experiments.map((e: any) => e.experiment_id);
  expect(byId).toEqual([...byId].sort());
});

test("paging across more than two pages: no overlap, no gap; tokens are checked", async () => {
  const t = await makeTeam();
  const made = [];
  for (let i = 0; i < 7; i++) made.push(await create(t, `page-${i}-${uniq()}`));
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const res = await search(t, { max_results: "3", page_token: token, order_by: ["name"] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.experiments.length).toBeLessThanOrEqual(3);
    seen.push(...res.body.experiments.map((e: any) => e.experiment_id));
    token = res.body.next_page_token;
    pages++;
  } while (token);
  expect(pages).toBe(3);
  expect(seen.sort()).toEqual([...made].sort());

  // The GET form pages the same way.
  const first = await mlflow("GET", "experiments/search", { creds: t.creds, query: { max_results: 3, order_by: "name" } });
  const second = await mlflow("GET", "experiments/search", { creds: t.creds, query: { max_results: 3, order_by: "name", page_token: first.body.next_page_token } });
  expect(second.status, second.text).toBe(200);
  expect(second.body.experiments).toHaveLength(3);

  for (const bad of ["garbage", "!!!", "eyJvIjotMX0", btoa(JSON.stringify({ o: 1e300, q: "x" })), "a".repeat(5000)]) {
    expectMlflowError(await search(t, { page_token: bad, order_by: ["name"] }), 400, "INVALID_PARAMETER_VALUE", /page token/i);
  }
  // A token from one search does not fit another.
  expectMlflowError(await search(t, { page_token: first.body.next_page_token, order_by: ["name DESC"] }), 400, "INVALID_PARAMETER_VALUE", /page token/);
});

test("search errors: max_results bounds, bad filter, bad order_by, bad view_type", async () => {
  const t = await makeTeam();
  expect((await search(t, { max_results: 50000 })).status).toBe(200);
  expectMlflowError(await search(t, { max_results: 50001 }), 400, "INVALID_PARAMETER_VALUE", /max_results.*at most 50000/);
  expectMlflowError(await search(t, { max_results: 0 }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
  expectMlflowError(await search(t, { max_results: "ten" }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
  for (const [filter, msg] of [
    ["name = 'a' OR name = 'b'", /AND/],
    ["metrics.acc > 1", /Invalid entity type 'metrics'/],
    ["owner = 'x'", /Invalid attribute key 'owner'/],
    ["name > 'a'", /Invalid comparator '>'/],
    ["creation_time = 'yesterday'", /numeric/],
    ["tags.team = cv", /quoted string/],
    ["name = 'unterminated", /unterminated/],
    ["name IN ('a')", /Invalid comparator 'IN'/],
    ["name = 'a' AND", /after AND/],
    ["name = 'a\u0000'", /NUL/],
    ["tags.k IN ('a')", /Invalid comparator/],
  ] as const) {
    expectMlflowError(await search(t, { filter }), 400, "INVALID_PARAMETER_VALUE", msg);
  }
  expectMlflowError(await search(t, { order_by: ["tags.team"] }), 400, "INVALID_PARAMETER_VALUE", /order_by/);
  expectMlflowError(await search(t, { order_by: ["name sideways"] }), 400, "INVALID_PARAMETER_VALUE", /ordering/);
  expectMlflowError(await search(t, { order_by: ["owner"] }), 400, "INVALID_PARAMETER_VALUE", /Invalid attribute key/);
  expectMlflowError(await search(t, { view_type: "SOME" }), 400, "INVALID_PARAMETER_VALUE", /view_type/);
});
