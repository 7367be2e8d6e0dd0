// The dashboard in a real headless Chromium against the real stack: sign up,
// create a key, log runs through the SDK, find one in the runs table, open it,
// zoom a chart (a new, exact buckets request), compare two runs, and watch a
// live run update without a reload. Each step saves a screenshot.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, stack, uniq } from "../helpers/api";
import { dragZoom, launch, shot, watchBuckets, watchErrors } from "./helpers/browser";
import { logCurve, startRun } from "./helpers/runs";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// expect.poll's default 1 s is too short when other test files share the machine.
const SLOW = { timeout: 15_000, interval: 100 };
const chartOf = (key: string) => `[data-testid=chart][data-key="${key}"]`;
const lastX = (page: Page, key: string) => page.locator(chartOf(key)).getAttribute("data-last-x").then(Number);

test("sign up, log runs, find, open, zoom, compare and watch a live run", async () => {
  const url = stack().url;
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, extraHTTPHeaders: { "cf-connecting-ip": `10.9.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const buckets = watchBuckets(page);

  // Sign up: a private page sends you to log in; from there, create a team.
  await page.goto(`${url}/projects`);
  await page.waitForURL(/\/login/);
  await page.click("text=Create a team");
  await page.fill("input[name=email]", `ui-${uniq()}@example.com`);
  await page.fill("input[name=password]", "correct horse battery staple");
  await page.fill("input[name=team_name]", "Vision lab");
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-testid=secret]");
  await shot(page, "01-signup-first-key");
  await page.click("text=Continue to projects");
  await page.waitForSelector("text=No projects yet");
  await shot(page, "02-projects-empty");

  // Create an API key; its secret is shown once.
  await page.click("a[href='/settings/keys']");
  await page.fill("input[aria-label='Key label']", "training cluster");
  await page.click("button:has-text('Create key')");
  const key = (await page.locator(".notice [data-testid=secret]").textContent())!.trim();
  expect(key).toMatch(/^sl_/);
  await page.waitForSelector("[data-testid=keys] >> text=training cluster");
  await shot(page, "03-api-key-created");

  // Log two finished runs through the SDK, and start a third that stays live.
  const project = `vision-${uniq()}`;
  const a = await startRun(url, key, project, "adam-small-lr", { lr: 0.001, optimizer: "adam", layers: 4 }, ["baseline"]);
  const b = await startRun(url, key, project, "sgd-big-lr", { lr: 0.1, optimizer: "sgd", layers: 4 });
  logCurve(a, 0, 3000, 1);
  logCurve(b, 0, 3000, 2);
  a.logConsole("epoch 1 done\nloss 0.42");
  await Promise.all([a.finish(), b.finish()]);
  const live = await startRun(url, key, project, "live-run", { lr: 0.01, optimizer: "adamw", layers: 6 });
  logCurve(live, 0, 500, 3);

  // Find the run in the runs table.
  await page.click("a[href='/projects']");
  await page.click(`a:has-text('${project}')`);
  const row = page.locator("[data-testid=runs-table] .rt-row", { hasText: "adam-small-lr" });
  await row.waitFor();
  await page.fill("input[aria-label='Filter runs']", "config.optimizer=adam");
  await page.press("input[aria-label='Filter runs']", "Enter");
  await expect.poll(() => page.locator("[data-testid=runs-table] .rt-row").count(), SLOW).toBe(1);
  await shot(page, "04-runs-table-filtered");
  await page.fill("input[aria-label='Filter runs']", "");
  await page.press("input[aria-label='Filter runs']", "Enter");
  await expect.poll(() => page.locator("[data-testid=runs-table] .rt-row").count(), SLOW).toBe(3);

  // Open it: a chart per metric, drawn from buckets as wide as the chart.
  await row.locator("a.name").click();
  await page.waitForSelector(`${chartOf("loss")}[data-last-x="2999"]`);
  const full = buckets.filter((q) => q.get("key") === "loss");
  expect(full.length).toBeGreaterThan(0);
  expect(full[0]!.get("start")).toBeNull();
  await shot(page, "05-run-charts");

  // Zoom: the drag asks the server for exact buckets of the new range.
  const before = buckets.length;
  await dragZoom(page, chartOf("loss"), 0.3, 0.6);
  await expect.poll(() => buckets.slice(before).find((q) => q.get("key") === "loss" && q.get("start") !== null), SLOW).toBeTruthy();
  const zoom = buckets.slice(before).find((q) => q.get("key") === "loss")!;
  const [start, end] = [Number(zoom.get("start")), Number(zoom.get("end"))];
  expect(start).toBeGreaterThan(500);
  expect(end).toBeLessThan(2500);
  expect(end).toBeGreaterThan(start);
  await expect.poll(() => lastX(page, "loss"), SLOW).toBeLessThanOrEqual(end);
  await page.waitForSelector("button:has-text('Reset zoom')");
  await shot(page, "06-run-zoomed");

  // Overview: config, notes edited in place.
  await page.click("[role=tab]:has-text('Overview')");
  await page.click("[aria-label='Edit notes']");
  await page.fill("textarea[aria-label=notes]", "Baseline with a small learning rate.");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector(".editable >> text=Baseline with a small learning rate.");
  const saved = await api("GET", `/api/v1/runs/${a.id}`, { creds: { key } });
  expect(saved.body.run.notes).toBe("Baseline with a small learning rate.");
  await shot(page, "07-run-overview");
  await page.keyboard.press("3");
  await page.waitForSelector(".log-line >> text=epoch 1 done");
  await shot(page, "07b-run-logs");

  // Compare two runs: legend, differing config, overlaid charts.
  await page.click("[data-testid=crumb-project]");
  for (const name of ["adam-small-lr", "sgd-big-lr"]) await page.locator("[data-testid=runs-table] .rt-row", { hasText: name }).locator("input[type=checkbox]").check();
  await page.click("button:has-text('Compare 2 runs')");
  await page.waitForSelector("[data-testid=legend] >> text=sgd-big-lr");
  const diff = await page.locator("[data-testid=config-diff]").textContent();
  expect(diff).toContain("optimizer");
  expect(diff).not.toContain("layers");
  await page.waitForSelector(`${chartOf("loss")}[data-last-x="2999"]`);
  const overlay = buckets.filter((q) => q.getAll("run").length === 2);
  expect(overlay.length).toBeGreaterThan(0);
  // A run lowest on every axis draws a flat line (zero height: not "visible"), so count them.
  await expect.poll(() => page.locator(".pc-svg polyline.pc-line").count(), SLOW).toBe(2);
  await shot(page, "08-compare");

  // Live: log more points while the page is open; the chart follows without a reload.
  await page.goto(`${url}/runs/${live.id}`);
  // An old-style link is rewritten in place to name the team and project.
  await page.waitForURL(new RegExp(`/team_[^/]+/${project}/runs/${live.id}$`));
  await page.waitForSelector("[data-testid=heartbeat]");
  await expect.poll(() => lastX(page, "loss"), { timeout: 10_000 }).toBe(499);
  await shot(page, "09-live-before");
  const navigations: string[] = [];
  page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
  const tailFrom = buckets.length;
  logCurve(live, 500, 1500, 3);
  await expect.poll(() => lastX(page, "loss"), { timeout: 15_000, interval: 250 }).toBe(1499);
  expect(navigations).toEqual([]);
  // Only the new steps were asked for.
  expect(buckets.slice(tailFrom).some((q) => q.get("key") === "loss" && Number(q.get("start")) >= 499)).toBe(true);
  await shot(page, "10-live-after");
  await live.finish();
  await expect.poll(() => page.locator(".badge.status-finished").count(), { timeout: 10_000 }).toBeGreaterThan(0);

  // Dark theme, same page.
  await page.click("button[aria-label^='Theme']");
  await page.click("button[aria-label^='Theme']");
  await page.waitForSelector("html[data-theme=dark]");
  await shot(page, "11-run-dark");

  expect(errors).toEqual([]);
  await ctx.close();
}, 90_000);
