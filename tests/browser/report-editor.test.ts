// The report editor in a real Chromium against the real stack: build a report
// with every block type from the dashboard (text with math, a chart with a
// saved range, a runs table, a run comparison, an artifact image), insert a
// block between two others, reorder with the keyboard buttons and by dragging
// the handle, save, reload and see the order kept; the reader opens the chart
// at its saved range (the first buckets request asks for it) and double-click
// resets it; "Add to report" copies a panel into another report (surviving a
// concurrent save: 409, reload, retry) and into a new one. Screenshots at
// 1440 and 390 of the editor and the reader.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, randomIp, stack, uniq } from "../helpers/api";
import { makeTeam } from "../helpers/harness";
import { auditPage } from "./helpers/a11y";
import { dragZoom, launch, shot, watchBuckets, watchErrors } from "./helpers/browser";
import { png } from "./helpers/png";
import { startRun } from "./helpers/runs";

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), "sightline-report-editor-"));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const SLOW = { timeout: 15_000, interval: 100 };

// Named controls, nothing past the right edge, AA contrast (helpers/a11y.ts).
async function audit(page: Page, width: number, at: string, problems: string[]) {
  const a = await auditPage(page, { width, checkContrast: true });
  problems.push(...[...a.unnamed, ...a.overflow, ...a.lowContrast].map((p) => `${at}: ${p}`));
  if (a.pageWidth > width) problems.push(`${at}: page is ${a.pageWidth} px wide`);
}

const order = (page: Page, sel: string) => page.locator(sel).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.type ?? [...e.classList].find((c) => c.startsWith("block-"))!.slice(6)));

test("build a report with every block type, insert between, reorder by keyboard and drag, read it at its saved zoom, add a panel to other reports", async () => {
  const url = stack().url;
  const team = await makeTeam("Editor", { plan: "enterprise" });
  const project = `ed-${uniq()}`;
  const runs: Record<string, string> = {};
  for (const [name, seed, lr] of [["adam", 1, 0.001], ["sgd", 2, 0.1]] as const) {
    const run = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name, config: { lr, optimizer: name, layers: 4 } } })).body.run;
    runs[name] = run.id;
    const steps = Array.from({ length: 500 }, (_, i) => i);
    const values = steps.map((s) => 2 / Math.sqrt(1 + s / (20 * seed)) + Math.sin(s) * 0.05);
    const res = await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { loss: { steps, values } } } });
    expect(res.status, res.text).toBeLessThan(300);
  }
  // An image artifact, logged through the SDK as users do.
  await mkdir(join(dir, "samples"), { recursive: true });
  await writeFile(join(dir, "samples", "grid.png"), png(64, 40, (x, y) => [x * 4, 80 + y * 4, 200]));
  const trainer = await startRun(url, team.key, project, "trainer", { lr: 0.01 });
  await trainer.logArtifact(join(dir, "samples"), { name: "samples", type: "images", aliases: ["best"] });
  await trainer.finish();
  const target = (await api("POST", `/api/v1/projects/${project}/reports`, { creds: team.creds, json: { title: "Target report", blocks: [{ type: "markdown", id: "t1", text: "kept" }] } })).body.report;

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie: team.cookie, "cf-connecting-ip": randomIp() } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const problems: string[] = [];
  const buckets = watchBuckets(page);
  await page.goto(`${url}/projects/${project}/reports`);
  await page.click("button:has-text('New report')");
  await page.waitForSelector("[data-testid=report-editor]");
  await page.fill("input[aria-label='Report title']", "Every block");

  // Text with inline and display math.
  await page.click("[data-testid=inserter].last button:has-text('+ Text')");
  await page.fill("textarea[aria-label='Markdown text']", "## Result\n\nLoss falls as $\\alpha^{2}$ shrinks.\n\n$$\\frac{1}{\\sqrt{n}}$$");
  await page.waitForSelector(".md-edit .math .frac");

  // A chart: runs found through the search box, a saved range, log y.
  await page.click("[data-testid=inserter].last button:has-text('+ Chart')");
  await page.fill("[data-testid=run-picker] input[aria-label='Search runs']", "ada");
  await expect.poll(() => page.locator("[data-testid=run-picker] .pick-row").allTextContents(), SLOW).toEqual(["adam"]);
  await page.check("[data-testid=run-picker] label:has-text('adam') input");
  await page.fill("[data-testid=run-picker] input[aria-label='Search runs']", "sgd");
  await expect.poll(() => page.locator("[data-testid=run-picker] .pick-row").allTextContents(), SLOW).toEqual(["adam", "sgd"]);
  await page.check("[data-testid=run-picker] label:has-text('sgd') input");
  await page.check("[data-testid=pick-metrics] label:has-text('loss') input");
  await page.fill("input[aria-label='Range from']", "300");
  await page.fill("input[aria-label='Range to']", "100");
  await page.waitForSelector("[data-testid=block-form] >> text=The range must start before it ends.");
  expect(await page.isDisabled("[data-testid=block-form-ok]")).toBe(true);
  await page.fill("input[aria-label='Range from']", "100");
  await page.fill("input[aria-label='Range to']", "300");
  await page.check("input[aria-label='Log scale y']");
  await page.fill("input[aria-label='Chart title']", "Loss, steps 100–300");
  await page.click("[data-testid=block-form-ok]");

  // A runs table with a config and a metric column, sorted by loss, descending.
  await page.click("[data-testid=inserter].last button:has-text('+ Runs table')");
  await page.check("[data-testid=run-picker] label:has-text('adam') input");
  await page.check("[data-testid=run-picker] label:has-text('sgd') input");
  await page.check("[data-testid=pick-columns] label:has-text('config.lr') input");
  await page.check("[data-testid=pick-columns] label:has-text('summary.loss') input");
  await page.selectOption("select[aria-label='Sort rows by']", "summary.loss");
  await page.check("input[aria-label='Descending']");
  await page.click("[data-testid=block-form-ok]");

  // A run comparison (needs two runs).
  await page.click("[data-testid=inserter].last button:has-text('+ Run comparison')");
  await page.check("[data-testid=run-picker] label:has-text('adam') input");
  expect(await page.isDisabled("[data-testid=block-form-ok]")).toBe(true);
  await page.check("[data-testid=run-picker] label:has-text('sgd') input");
  await page.click("[data-testid=block-form-ok]");

  // The artifact, by name:alias, one image file.
  await page.click("[data-testid=inserter].last button:has-text('+ Artifact')");
  await page.selectOption("select[aria-label='Artifact']", "samples");
  await expect.poll(() => page.locator("select[aria-label='Version'] option").allTextContents(), SLOW).toContain("best");
  await page.selectOption("select[aria-label='Version']", "best");
  await expect.poll(() => page.locator("select[aria-label='File'] option").allTextContents(), SLOW).toContain("grid.png");
  await page.selectOption("select[aria-label='File']", "grid.png");
  await page.click("[data-testid=block-form-ok]");
  await page.waitForSelector("[data-testid=edit-block] [data-testid=report-artifact] img");

  // Insert a text block between the first two with the "+" between them.
  await page.click("button[aria-label='Insert a block at position 2']");
  await page.click("[data-testid=inserter][data-at='1'] button:has-text('+ Text')");
  await page.locator("textarea[aria-label='Markdown text']").nth(1).fill("An intro paragraph.");
  expect(await order(page, "[data-testid=edit-block]")).toEqual(["markdown", "markdown", "chart", "runs_table", "compare", "artifact"]);

  // Keyboard reorder: the intro moves down one; focus stays on its button.
  const intro = await page.locator("[data-testid=edit-block]").nth(1).getAttribute("data-block-id");
  await page.locator(`[data-block-id='${intro}'] button[aria-label='Move down']`).focus();
  await page.keyboard.press("Enter");
  expect(await order(page, "[data-testid=edit-block]")).toEqual(["markdown", "chart", "markdown", "runs_table", "compare", "artifact"]);
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest("[data-block-id]")?.getAttribute("data-block-id")), SLOW).toBe(intro);

  // Drag the artifact by its handle to the top (the first block's upper half);
  // a tall window keeps both on screen, as a user would scroll first.
  await page.setViewportSize({ width: 1440, height: 4000 });
  await page.evaluate(() => {
    const w = window as unknown as { __dnd: string[] };
    w.__dnd = [];
    for (const t of ["dragstart", "dragover", "drop", "dragend"]) addEventListener(t, () => w.__dnd.at(-1) !== t && w.__dnd.push(t), true);
  });
  await page.dragAndDrop("[data-testid=edit-block][data-type=artifact] .drag-handle", "[data-testid=edit-block] >> nth=0", { targetPosition: { x: 40, y: 4 } });
  const expected = ["artifact", "markdown", "chart", "markdown", "runs_table", "compare"];
  expect(await page.evaluate(() => (window as unknown as { __dnd: string[] }).__dnd)).toEqual(["dragstart", "dragover", "drop", "dragend"]);
  await expect.poll(() => order(page, "[data-testid=edit-block]"), SLOW).toEqual(expected);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, "report-editor-01-1440");
  await audit(page, 1440, "editor @1440", problems);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "report-editor-02-390");
  await audit(page, 390, "editor @390", problems);
  // A block's settings reopen with what it holds.
  await page.click("[data-testid=edit-block][data-type=chart] button:has-text('Edit')");
  await expect.poll(() => page.locator("[data-testid=block-form] [data-testid=run-picker] input:checked").count(), SLOW).toBe(2);
  expect(await page.inputValue("[data-testid=block-form] input[aria-label='Range from']")).toBe("100");
  await page.locator("[data-testid=block-form]").scrollIntoViewIfNeeded();
  await shot(page, "report-editor-02b-chart-form-390");
  await audit(page, 390, "chart form @390", problems);
  await page.click("[data-testid=block-form] button:has-text('Cancel')");
  await page.emulateMedia({ colorScheme: "dark" });
  await audit(page, 390, "editor @390 dark", problems);
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Save (Ctrl+S); the order is what the server keeps, and what a reload shows.
  await page.keyboard.press("Control+s");
  await page.waitForSelector("[data-testid=report] h1:has-text('Every block')");
  const reportId = new URL(page.url()).pathname.split("/").pop()!;
  const saved = (await api("GET", `/api/v1/reports/${reportId}`, { creds: team.creds })).body.report;
  expect(saved.blocks.map((b: { type: string }) => b.type)).toEqual(expected);
  expect(saved.blocks[2]).toMatchObject({ type: "chart", runs: [runs.adam, runs.sgd], keys: ["loss"], x: "step", range: [100, 300], log_y: true, title: "Loss, steps 100–300" });
  expect(saved.blocks[4]).toMatchObject({ type: "runs_table", columns: ["config.lr", "summary.loss"], order_by: "-summary.loss" });
  expect(saved.blocks[0]).toMatchObject({ type: "artifact", artifact: "samples:best", path: "grid.png" });

  buckets.length = 0;
  await page.reload();
  await page.waitForSelector("[data-testid=report] h1:has-text('Every block')");
  expect(await order(page, "[data-testid=report] .report-block")).toEqual(expected);
  // The chart opens at its saved range: its first buckets request asks for it.
  const chart = "[data-testid=report-chart] [data-testid=chart][data-key=loss]";
  await expect.poll(() => page.locator(chart).getAttribute("data-buckets").then(Number), SLOW).toBeGreaterThan(10);
  const loss = () => buckets.filter((b) => b.get("key") === "loss");
  expect(loss()[0]!.get("start")).toBe("100");
  expect(loss()[0]!.get("end")).toBe("300");
  // The reader: sorted table, config diff, image, math; no editor chrome.
  expect((await page.locator("[data-testid=report-runs-table] tbody tr td:first-child").allTextContents()).map((s) => s.trim())).toEqual(["sgd", "adam"]);
  await page.waitForSelector("[data-testid=report-config-diff] th:has-text('lr')");
  await expect.poll(() => page.locator("[data-testid=report] [data-testid=report-artifact] img").evaluate((i) => (i as HTMLImageElement).naturalWidth), SLOW).toBe(64);
  expect(await page.locator("[data-testid=report] .math .frac").count()).toBe(1);
  expect(await page.locator("[data-testid=report] .math sup").textContent()).toBe("2");
  expect(await page.locator("[data-testid=report] .drag-handle, [data-testid=report] [data-testid=inserter]").count()).toBe(0);
  await shot(page, "report-editor-03-reader-1440");
  await audit(page, 1440, "reader @1440", problems);
  await page.locator("[data-testid=report-compare]").evaluate((e) => e.scrollIntoView());
  await shot(page, "report-editor-04-reader-compare-1440");
  await page.evaluate(() => scrollTo(0, 0));

  // "Add to report" from this panel into the target report, while someone
  // else saves the target between our read and our write: 409, re-read, retry.
  let bumped = false;
  await page.route(`**/api/v1/reports/${target.id}`, async (route) => {
    if (route.request().method() === "PUT" && !bumped) {
      bumped = true;
      const theirs = await api("PUT", `/api/v1/reports/${target.id}`, { creds: team.creds, json: { title: "Target report", blocks: [{ type: "markdown", id: "t1", text: "kept" }, { type: "markdown", id: "t2", text: "theirs" }], base_version: 1 } });
      expect(theirs.status, theirs.text).toBe(200);
    }
    await route.continue();
  });
  await page.click("[data-testid=report-chart] [data-testid=add-to-report] > button");
  await page.click("[data-testid=add-to-report-menu] button:has-text('Target report')");
  await page.waitForSelector("[data-testid=add-to-report-menu] >> text=Added to");
  await shot(page, "report-editor-05-added");
  expect(bumped).toBe(true);
  const t = (await api("GET", `/api/v1/reports/${target.id}`, { creds: team.creds })).body.report;
  expect(t.version).toBe(3);
  expect(t.blocks.map((b: { id: string; type: string }) => b.type)).toEqual(["markdown", "markdown", "chart"]);
  expect(t.blocks[2]).toMatchObject({ runs: [runs.adam, runs.sgd], keys: ["loss"], x: "step", range: [100, 300], log_y: true });
  expect(t.blocks[2].id).not.toBe(saved.blocks[2].id);
  await page.unroute(`**/api/v1/reports/${target.id}`);

  // Double-click resets the saved zoom to the full range (a request with no start).
  const before = loss().length;
  await page.locator(`${chart} .u-over`).dblclick();
  await expect.poll(() => loss().length, SLOW).toBeGreaterThan(before);
  expect(loss().at(-1)!.get("start")).toBeNull();

  // "New report" from the menu: a report holding just this panel (now unzoomed).
  await page.click("[data-testid=report-chart] [data-testid=add-to-report] > button");
  await page.click("[data-testid=add-to-report-menu] button:has-text('New report')");
  await page.click("[data-testid=add-to-report-menu] a:has-text('Open report')");
  await page.waitForSelector("[data-testid=report] h1:has-text('Loss, steps 100–300')");
  const fresh = (await api("GET", `/api/v1/reports/${new URL(page.url()).pathname.split("/").pop()}`, { creds: team.creds })).body.report;
  expect(fresh.blocks).toHaveLength(1);
  expect(fresh.blocks[0]).toMatchObject({ type: "chart", keys: ["loss"], log_y: true });
  expect(fresh.blocks[0].range).toBeUndefined();

  // From the run page's chart toolbar (when the charts wire AddToReport in):
  // the run, the key and the zoomed range land in the report.
  await page.goto(`${url}/runs/${runs.adam}`);
  const runChart = "[data-testid=chart][data-key=loss]";
  await expect.poll(() => page.locator(runChart).getAttribute("data-buckets").then(Number), SLOW).toBeGreaterThan(10);
  if (await page.locator(`${runChart} [data-testid=add-to-report]`).count()) {
    await dragZoom(page, runChart, 0.2, 0.5);
    await page.waitForSelector(`${runChart}[data-zoomed]`);
    const [lo, hi] = (await page.locator(runChart).getAttribute("data-zoomed"))!.split("-").map(Number);
    await page.click(`${runChart} [data-testid=add-to-report] > button`);
    await page.click(`${runChart} [data-testid=add-to-report-menu] button:has-text('Every block')`);
    await page.waitForSelector(`${runChart} [data-testid=add-to-report-menu] >> text=Added to`);
    await shot(page, "report-editor-08-run-page-added");
    const after = (await api("GET", `/api/v1/reports/${reportId}`, { creds: team.creds })).body.report;
    expect(after.blocks).toHaveLength(7);
    expect(after.blocks[6]).toMatchObject({ type: "chart", runs: [runs.adam], keys: ["loss"], range: [lo, hi] });
  }

  // The reader at phone width.
  await page.goto(`${url}/reports/${reportId}`);
  await page.waitForSelector("[data-testid=report] h1:has-text('Every block')");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.locator(chart).first().getAttribute("data-buckets").then(Number), SLOW).toBeGreaterThan(10);
  await shot(page, "report-editor-06-reader-390");
  await page.locator("[data-testid=report-compare]").scrollIntoViewIfNeeded();
  await shot(page, "report-editor-07-reader-compare-390");
  await audit(page, 390, "reader @390", problems);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, "report-editor-09-reader-390-dark");
  await audit(page, 390, "reader @390 dark", problems);
  expect(problems).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);
