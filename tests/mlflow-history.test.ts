import { beforeAll, describe, expect, test } from "vitest";
import { api } from "./helpers/api";
import { makeRun, makeTeam, type Team } from "./helpers/harness";
import { expectMlflowError, mlflow } from "./helpers/mlflow";

// MLflow's metric history routes over metrics logged through the native API.

let team: Team;
let runA: string;
let runB: string;

const T0 = 1_700_000_000_000;
// Run A's "loss": 10,000 steps, a smooth curve with one spike, one dip, a NaN and ±Infinity.
const valueA = (s: number): number | string =>
  s === 5001 ? 1000 : s === 6123 ? -500 : s === 7000 ? "NaN" : s === 42 ? "Infinity" : s === 43 ? "-Infinity" : Math.round(1e6 / (s + 1)) / 1e6;

async function log(run: string, seq: number, key: string, steps: number[], values: (number | string)[]) {
  const res = await api("POST", `/api/v1/runs/${run}/metrics`, {
    creds: team.creds,
    json: { seq, metrics: { [key]: { steps, values, timestamps: steps.map((s) => T0 + s) } } },
  });
  expect(res.status, res.text).toBe(200);
}

beforeAll(async () => {
  team = await makeTeam("History");
  runA = await makeRun(team);
  runB = await makeRun(team);
  // 80 batches, so the series spans more chunks than one 64-chunk read.
  for (let b = 0; b < 80; b++) {
    const steps = Array.from({ length: 125 }, (_, i) => b * 125 + i);
    await log(runA, b, "loss", steps, steps.map(valueA));
  }
  await log(runB, 0, "loss", [0, 3, 9, 12, 20], [5, 4, 3, 2, 1]);
}, 120_000);

const history = (query: Record<string, string | number | string[]>, creds = team.creds) => mlflow("GET", "metrics/get-history", { creds, query });

describe("metrics/get-history", () => {
  test("pages of any size give every point once, in step order, with exact values", async () => {
    const all: any[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await history({ run_id: runA, metric_key: "loss", max_results: 777, ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      expect(res.body.metrics.length).toBeLessThanOrEqual(777);
      all.push(...res.body.metrics);
      token = res.body.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(13);
    expect(all).toHaveLength(10_000);
    all.forEach((m, s) => expect(m).toEqual({ key: "loss", value: valueA(s), timestamp: T0 + s, step: s }));
  });

  test("without max_results: the whole history (up to 25,000) in one answer, no token; run_uuid works", async () => {
    const res = await history({ run_uuid: runA, metric_key: "loss" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metrics).toHaveLength(10_000);
    expect(res.body.next_page_token).toBeUndefined();
    expect(res.body.metrics.slice(42, 44).map((m: any) => m.value)).toEqual(["Infinity", "-Infinity"]);
    expect(res.body.metrics[7000].value).toBe("NaN");
  });

  test("a key the run never logged is an empty history", async () => {
    const res = await history({ run_id: runB, metric_key: "nope" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metrics ?? []).toEqual([]);
  });

  test("bad requests → 400 naming the parameter; unknown or another team's run → 404", async () => {
    expectMlflowError(await history({ run_id: runA }), 400, "INVALID_PARAMETER_VALUE", /metric_key/);
    expectMlflowError(await history({ metric_key: "loss" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
    expectMlflowError(await history({ run_id: runA, metric_key: "loss", max_results: 0 }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
    expectMlflowError(await history({ run_id: runA, metric_key: "loss", max_results: "x" }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
    expectMlflowError(await history({ run_id: runA, metric_key: "loss", page_token: "garbage!" }), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await history({ run_id: runA, metric_key: "loss", page_token: btoa('{"step":-4}') }), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await history({ run_id: "run_nope", metric_key: "loss" }), 404, "RESOURCE_DOES_NOT_EXIST", /run_nope/);
    const other = await makeTeam("Other");
    expectMlflowError(await history({ run_id: runA, metric_key: "loss" }, other.creds), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

const bulk = (query: Record<string, string | number | (string | number)[]>, creds = team.creds) => mlflow("GET", "metrics/get-history-bulk-interval", { creds, query });

describe("metrics/get-history-bulk-interval", () => {
  test("a long series is sampled to about max_results points that keep the ends and every extreme", async () => {
    const res = await bulk({ run_ids: [runA, runB], metric_key: "loss", max_results: 100 });
    expect(res.status, res.text).toBe(200);
    const a = res.body.metrics.filter((m: any) => m.run_id === runA);
    const b = res.body.metrics.filter((m: any) => m.run_id === runB);
    // Run order as asked, steps rising within each run.
    expect(res.body.metrics.slice(0, a.length)).toEqual(a);
    expect(a.map((m: any) => m.step)).toEqual([...a.map((m: any) => m.step)].sort((x: number, y: number) => x - y));
    expect(a.length).toBeGreaterThan(50);
    expect(a.length).toBeLessThanOrEqual(103);
    // Every point is a real one, exactly.
    for (const m of a) expect(m).toEqual({ key: "loss", value: valueA(m.step), timestamp: T0 + m.step, step: m.step, run_id: runA });
    const steps = a.map((m: any) => m.step);
    // First and last step, the spike, the dip, the NaN and both infinities.
    for (const s of [0, 9999, 5001, 6123, 7000, 42, 43]) expect(steps).toContain(s);
    // The short series comes whole.
    expect(b.map((m: any) => [m.step, m.value])).toEqual([[0, 5], [3, 4], [9, 3], [12, 2], [20, 1]]);
  });

  test("a step range within max_results comes whole; the default max_results is 2,500", async () => {
    const res = await bulk({ run_ids: runA, metric_key: "loss", start_step: 100, end_step: 200 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metrics.map((m: any) => m.step)).toEqual(Array.from({ length: 101 }, (_, i) => 100 + i));
    const wide = await bulk({ run_ids: runA, metric_key: "loss" });
    expect(wide.body.metrics.length).toBeGreaterThan(2000);
    expect(wide.body.metrics.length).toBeLessThanOrEqual(2503);
  });

  test("int64 query values, a run without the key, and an empty range answer without error", async () => {
    const res = await bulk({ run_ids: [runB, runA], metric_key: "nope" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metrics ?? []).toEqual([]);
    const empty = await bulk({ run_ids: runB, metric_key: "loss", start_step: 21, end_step: 40 });
    expect(empty.body.metrics ?? []).toEqual([]);
  });

  test("bad requests → 400 naming the problem; another team's run → 404", async () => {
    expectMlflowError(await bulk({ metric_key: "loss" }), 400, "INVALID_PARAMETER_VALUE", /run_ids/);
    const many = Array.from({ length: 101 }, (_, i) => `run_${i}`);
    expectMlflowError(await bulk({ run_ids: many, metric_key: "loss" }), 400, "INVALID_PARAMETER_VALUE", /at most 100 run_ids/);
    expectMlflowError(await bulk({ run_ids: runA }), 400, "INVALID_PARAMETER_VALUE", /metric_key/);
    expectMlflowError(await bulk({ run_ids: runA, metric_key: "loss", max_results: 2501 }), 400, "INVALID_PARAMETER_VALUE", /between 1 and 2500/);
    expectMlflowError(await bulk({ run_ids: runA, metric_key: "loss", max_results: 0 }), 400, "INVALID_PARAMETER_VALUE", /between 1 and 2500/);
    expectMlflowError(await bulk({ run_ids: runA, metric_key: "loss", start_step: 5 }), 400, "INVALID_PARAMETER_VALUE", /both must be specified/);
    expectMlflowError(await bulk({ run_ids: runA, metric_key: "loss", start_step: 5, end_step: 4 }), 400, "INVALID_PARAMETER_VALUE", /end_step must be greater/);
    expectMlflowError(await bulk({ run_ids: runA, metric_key: "loss", start_step: "x", end_step: 4 }), 400, "INVALID_PARAMETER_VALUE", /start_step/);
    const other = await makeTeam("Other");
    expectMlflowError(await bulk({ run_ids: [runA], metric_key: "loss" }, other.creds), 404, "RESOURCE_DOES_NOT_EXIST", new RegExp(runA));
    expectMlflowError(await bulk({ run_ids: [runA, "run_missing"], metric_key: "loss" }), 404, "RESOURCE_DOES_NOT_EXIST", /run_missing/);
  });
});
