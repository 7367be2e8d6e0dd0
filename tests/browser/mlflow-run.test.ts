// A run logged through MLflow's REST API (as the MLflow client sends it: JSON
// bodies, int64 as strings) reads in the dashboard like a native run, with
// MLflow's system tags where they mean something: name, user, notes, git,
// parent link and nested runs; key-value tags, datasets and a soft delete.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, stack, uniq } from "../helpers/api";
import { makeTeam, type Team } from "../helpers/harness";
import { mlflow } from "../helpers/mlflow";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const tag = (key: string, value: string) => ({ key, value });

async function call(team: Team, path: string, json: unknown) {
  const res = await mlflow("POST", path, { creds: team.creds, json });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.body;
}

async function createRun(team: Team, experimentId: string, name: string, tags: { key: string; value: string }[]) {
  const body = await call(team, "runs/create", { experiment_id: experimentId, run_name: name, start_time: String(Date.now()), tags });
  return body.run.info.run_id as string;
}

// The fluent client's start_run(nested=True) run with params, metrics, tags and a dataset.
async function logFamily(team: Team) {
  const experimentName = `/Users/alice@example.com/exp ${uniq()}`;
  const { experiment_id: exp } = await call(team, "experiments/create", { name: experimentName });
  const parent = await createRun(team, exp, "sweep-parent", [
    tag("mlflow.user", "alice"),
    tag("mlflow.note.content", "Sweep over learning rates, logged with import mlflow."),
    tag("mlflow.source.name", "train.py"),
    tag("mlflow.source.type", "LOCAL"),
    tag("mlflow.source.git.commit", COMMIT),
  ]);
  const now = Date.now();
  await call(team, "runs/log-batch", {
    run_id: parent,
    params: [tag("lr", "0.01"), tag("optimizer.name", "adam")],
    tags: [tag("team", "vision"), tag("mlflow.log-model.history", JSON.stringify([{ artifact_path: "model", flavors: { sklearn: {} } }]).repeat(8))],
    metrics: [0, 1, 2, 3, 4].map((step) => ({ key: "loss", value: 1 / (step + 1), timestamp: String(now + step), step: String(step) })),
  });
  await call(team, "runs/log-inputs", {
    run_id: parent,
    datasets: [
      {
        tags: [tag("mlflow.data.context", "training")],
        dataset: {
          name: "mnist-train",
          digest: "a1b2c3d4",
          source_type: "http",
          source: JSON.stringify({ url: "https://example.com/mnist.csv" }),
          schema: JSON.stringify({ mlflow_colspec: [{ type: "double", name: "pixel" }] }),
          profile: JSON.stringify({ num_rows: 60000 }),
        },
      },
    ],
  });
  const child = await createRun(team, exp, "lr-0.1", [tag("mlflow.user", "alice"), tag("mlflow.parentRunId", parent)]);
  await call(team, "runs/log-batch", { run_id: child, params: [tag("lr", "0.1")], metrics: [{ key: "loss", value: 0.5, timestamp: String(now), step: "0" }] });
  await call(team, "runs/update", { run_id: child, status: "FINISHED", end_time: String(Date.now()) });
  const gone = await createRun(team, exp, "deleted-run", []);
  await call(team, "runs/delete", { run_id: gone });
  return { experimentName, exp, parent, child, gone };
}

const viewports = [
  { name: "wide", width: 1440, height: 1000 },
  { name: "phone", width: 390, height: 844 },
];

async function open(team: Team, width: number, height: number): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const ctx = await browser.newContext({ viewport: { width, height }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  return { page, errors: watchErrors(page), close: () => ctx.close() };
}

test("an MLflow-logged run: name, user, notes, params, tags, dataset, chart, parent and nested runs", async () => {
  const team = await makeTeam();
  const f = await logFamily(team);
  const url = stack().url;

  for (const vp of viewports) {
    const { page, errors, close } = await open(team, vp.width, vp.height);

    // The experiment's name is not a slug: the projects list links it by id.
    await page.goto(`${url}/projects`);
    await page.click(`a:has-text(${JSON.stringify(f.experimentName)})`);
    await page.waitForURL(new RegExp(`/${f.exp}$`));
    await page.waitForSelector(`h1:has-text(${JSON.stringify(f.experimentName)})`);
    const rows = page.locator("[data-testid=runs-table] .rt-row");
    await rows.filter({ hasText: "lr-0.1" }).waitFor();
    // The soft-deleted run is left out of the list.
    expect(await rows.allInnerTexts()).not.toContainEqual(expect.stringContaining("deleted-run"));
    await shot(page, `mlflow-${vp.name}-1-runs`);

    // The parent: name, user, a chart of what log-batch sent.
    await rows.filter({ hasText: "sweep-parent" }).locator("a.name").click();
    await page.waitForSelector(`h1.run-name >> text=sweep-parent`);
    expect(await page.locator("[data-testid=run-by]").innerText()).toBe("by alice");
    await page.waitForSelector(`[data-testid=chart][data-key="loss"][data-last-x="4"]`);
    expect(await page.locator("nav.crumbs").innerText()).toContain(f.experimentName);
    await shot(page, `mlflow-${vp.name}-2-parent-charts`);

    // Overview: notes, user, git, params as config (a dotted key too), tags, dataset, nested runs.
    await page.click("[role=tab]:has-text('Overview')");
    await page.waitForSelector(".editable >> text=Sweep over learning rates");
    expect(await page.locator("[data-testid=run-user]").innerText()).toBe("alice");
    expect(await page.locator("dl.kv").innerText()).toContain(COMMIT.slice(0, 12));
    expect(await page.locator("dl.kv").innerText()).toContain("train.py");
    const config = page.locator(".card:has(h2:text-is('Config')) tbody tr");
    expect(await config.allInnerTexts()).toEqual([expect.stringMatching(/^lr\s+0\.01$/), expect.stringMatching(/^optimizer\.name\s+adam$/)]);
    const kv = page.locator("[data-testid=kv-tags]");
    await kv.waitFor();
    expect(await kv.locator("table").first().innerText()).toMatch(/team\s+vision/);
    // MLflow's bookkeeping is folded away, and the tags shown elsewhere are not repeated.
    const system = kv.locator("[data-testid=system-tags]");
    expect(await system.locator("text=mlflow.log-model.history").isVisible()).toBe(false);
    expect(await kv.innerText()).not.toContain("mlflow.user");
    expect(await kv.innerText()).not.toContain("mlflow.note.content");
    await system.locator("summary").first().click();
    expect(await system.locator("text=mlflow.log-model.history").isVisible()).toBe(true);
    const ds = page.locator("[data-testid=datasets]");
    await ds.waitFor();
    const dsText = await ds.innerText();
    for (const s of ["mnist-train", "a1b2c3d4", "training", "http: https://example.com/mnist.csv"]) expect(dsText).toContain(s);
    expect(await ds.locator("text=mlflow_colspec").isVisible()).toBe(false);
    await ds.locator("summary:has-text('Schema')").click();
    expect(await ds.locator("text=mlflow_colspec").isVisible()).toBe(true);
    const children = page.locator("[data-testid=child-runs] tbody tr");
    await children.first().waitFor();
    expect(await children.allInnerTexts()).toEqual([expect.stringMatching(/lr-0\.1\s+finished/)]);
    await shot(page, `mlflow-${vp.name}-3-parent-overview`);
    await page.locator("[data-testid=datasets]").scrollIntoViewIfNeeded();
    await shot(page, `mlflow-${vp.name}-4-parent-datasets`);

    // The child links back to its parent.
    await children.first().locator("a").click();
    await page.waitForSelector(`h1.run-name >> text=lr-0.1`);
    const up = page.locator("[data-testid=parent-link] a");
    await up.filter({ hasText: "sweep-parent" }).waitFor();
    await page.waitForSelector(`[data-testid=chart][data-key="loss"][data-last-x="0"]`);
    await shot(page, `mlflow-${vp.name}-5-child`);
    await up.click();
    await page.waitForSelector(`h1.run-name >> text=sweep-parent`);

    // A soft-deleted run opened by its URL says so.
    await page.goto(`${url}/runs/${f.gone}`);
    await page.waitForSelector("[data-testid=deleted-banner]");
    expect(await page.locator("[data-testid=deleted-banner]").innerText()).toMatch(/restorable through MLflow/);
    await shot(page, `mlflow-${vp.name}-6-deleted`);

    // Nothing spills sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
    expect(errors).toEqual([]);
    await close();
  }
}, 120_000);

test("a run's datasets: 404 for another team's run, [] for a run without any", async () => {
  const [team, other] = [await makeTeam(), await makeTeam()];
  const f = await logFamily(team);
  const mine = await api("GET", `/api/v1/runs/${f.parent}/datasets`, { creds: team.creds });
  expect(mine.status, mine.text).toBe(200);
  expect(mine.body.datasets).toEqual([
    expect.objectContaining({ name: "mnist-train", digest: "a1b2c3d4", source_type: "http", tags: { "mlflow.data.context": "training" } }),
  ]);
  expect((await api("GET", `/api/v1/runs/${f.child}/datasets`, { creds: team.creds })).body).toEqual({ datasets: [] });
  expect((await api("GET", `/api/v1/runs/${f.parent}/datasets`, { creds: other.creds })).status).toBe(404);
  // The children filter finds exactly the nested run.
  const kids = await api("GET", `/api/v1/projects/${f.exp}/runs?filter=${encodeURIComponent(`parent_id=${f.parent}`)}`, { creds: team.creds });
  expect(kids.status, kids.text).toBe(200);
  expect(kids.body.runs.map((r: { id: string }) => r.id)).toEqual([f.child]);
});
