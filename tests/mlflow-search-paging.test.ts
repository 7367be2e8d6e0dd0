import { beforeAll, describe, expect, test } from "vitest";
import { api, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { makeProject, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's runs/search paging: keyset page tokens over every order kind, a run
// added between pages, tampered tokens; and a search over 10,000 runs.

let team: Team;

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

beforeAll(async () => {
  team = await makeTeam("Paging");
});

describe("paging", () => {
  let prj: string;
  beforeAll(async () => {
    prj = (await makeProject(team)).id;
    // 30 runs with ties on every key, some missing values and a NaN.
    for (let i = 0; i < 30; i++) await run(prj, `p${i % 4}`, i % 5 === 0 ? {} : { g: String(i % 3) }, i % 7 === 0 ? undefined : i === 3 ? "NaN" : i % 6);
  });

  async function pages(order_by: string[], size: number) {
    const seen: string[] = [];
    let token: string | undefined;
    for (let n = 0; n < 100; n++) {
      const res = await mlflow("POST", "runs/search", { creds: team.creds, json: { experiment_ids: [prj], order_by, max_results: size, page_token: token } });
      expect(res.status, res.text).toBe(200);
      seen.push(...(res.body.runs ?? []).map((r: any) => r.info.run_id));
      token = res.body.next_page_token;
      if (!token) return seen;
    }
    throw new Error("paging did not end");
  }

  test.each([[[]], [["metrics.loss"]], [["metrics.loss DESC"]], [["params.g", "run_name DESC"]], [["tags.`mlflow.runName`"]], [["start_time ASC"]], [["end_time"]]])(
    "order %j: pages of 4 give the whole list, once each, in order",
    async (order_by) => {
      const whole = await pages(order_by, 1000);
      expect(whole).toHaveLength(30);
      expect(await pages(order_by, 4)).toEqual(whole);
      expect(await pages(order_by, 1)).toEqual(whole);
    },
  );

  test("a run added between pages neither repeats nor hides the others", async () => {
    const first = await mlflow("POST", "runs/search", { creds: team.creds, json: { experiment_ids: [prj], max_results: 10, order_by: ["metrics.loss"] } });
    const before = (await pages(["metrics.loss"], 1000)).slice(10);
    await run(prj, "late", {}, -1);
    const rest = await mlflow("POST", "runs/search", { creds: team.creds, json: { experiment_ids: [prj], max_results: 1000, order_by: ["metrics.loss"], page_token: first.body.next_page_token } });
    expect(rest.body.runs.map((r: any) => r.info.run_id)).toEqual(before);
  });

  test("a token that is not one, tampered, or from another order → 400", async () => {
    const res = await mlflow("POST", "runs/search", { creds: team.creds, json: { experiment_ids: [prj], max_results: 2, order_by: ["metrics.loss"] } });
    const token = res.body.next_page_token as string;
    const bad = (page_token: string, order_by = ["metrics.loss"]) => mlflow("POST", "runs/search", { creds: team.creds, json: { experiment_ids: [prj], order_by, page_token } });
    expectMlflowError(await bad("!!!"), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await bad(btoa("{}")), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await bad(token, ["params.g"]), 400, "INVALID_PARAMETER_VALUE", /different order_by/);
    const parsed = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    for (const v of [["0", "1e999", "0"], ["x", "1", "0"], ["0", "1", "2020-01-01"], ["0", "1"]]) {
      const forged = btoa(JSON.stringify({ ...parsed, v })).replace(/=+$/, "");
      expectMlflowError(await bad(forged), 400, "INVALID_PARAMETER_VALUE", /page token/);
    }
    const forgedId = btoa(JSON.stringify({ ...parsed, id: "x' or 1=1" }));
    expectMlflowError(await bad(forgedId), 400, "INVALID_PARAMETER_VALUE", /page token/);
  });
});

test("10,000 runs: a filtered, ordered search is correct (timing printed)", async () => {
  // Enterprise: its runs are dated 2026-01-01 on, past the free plan's 90-day
  // retention, and a cron tick from a test running beside this one would delete them.
  const big = await makeTeam("Big", { plan: "enterprise" });
  const prj = (await makeProject(big)).id;
  const tag = uniq();
  await sql(
    `insert into runs (team_id, id, project_id, name, config, summary, kv_tags, status, created_at)
     select $1, 'run_' || $3 || g, $2, 'bulk-' || g, jsonb_build_object('lr', (g % 10)::text, 'depth', g % 4),
       jsonb_build_object('loss', jsonb_build_object('last', (g % 1000) / 1000.0, 'min', 0, 'max', 1, 'step', 9, 'count', 10)),
       jsonb_build_object('bucket', 'b' || (g % 7)), case when g % 3 = 0 then 'finished' else 'running' end,
       timestamptz '2026-01-01' + g * interval '1 second'
     from generate_series(1, 10000) g`,
    [big.id, prj, tag],
  );
  await sql("analyze runs");
  const expected = [];
  for (let g = 1; g <= 10_000; g++) {
    if (g % 10 === 3 && g % 7 === 2 && (g % 1000) / 1000 < 0.5) expected.push({ g, loss: (g % 1000) / 1000 });
  }
  expected.sort((a, b) => b.loss - a.loss || b.g - a.g);
  const body = { experiment_ids: [prj], filter: "params.lr = '3' and tags.bucket = 'b2' and metrics.loss < 0.5", order_by: ["metrics.loss DESC"], max_results: 50_000 };
  const times: number[] = [];
  let res;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    res = await mlflow("POST", "runs/search", { creds: big.creds, json: body });
    times.push(performance.now() - t0);
  }
  expect(res!.status, res!.text).toBe(200);
  expect(res!.body.runs.map((r: any) => r.info.run_name)).toEqual(expected.map((e) => `bulk-${e.g}`));
  const t0 = performance.now();
  const page = await mlflow("POST", "runs/search", { creds: big.creds, json: { experiment_ids: [prj], max_results: 100 } });
  const tPage = performance.now() - t0;
  expect(page.body.runs.map((r: any) => r.info.run_name)).toEqual(Array.from({ length: 100 }, (_, i) => `bulk-${10_000 - i}`));
  const all = await mlflow("POST", "runs/search", { creds: big.creds, json: { experiment_ids: [prj], max_results: 50_000, order_by: ["params.depth"] } });
  expect(all.body.runs).toHaveLength(10_000);
  times.sort((a, b) => a - b);
  console.log(`bench: runs/search over 10,000 runs, filtered + ordered: median ${times[2]!.toFixed(1)} ms; first page of 100: ${tPage.toFixed(1)} ms (HTTP round trip)`);
}, 120_000);
