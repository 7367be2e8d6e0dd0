// The runs table (issue 13): group rows under their columns (defect 6), live
// refresh of running runs (9), filter suggestions and "did you mean" (10),
// compare wording, config/metric column tags and labels (12), and runs
// management: tag, archive, delete with Undo, move, export, name search,
// plots toggle, Charts/Artifacts links, and a viewer without write controls.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { projectHref } from "../../dashboard/src/lib/links";
import { api, stack, uniq } from "../helpers/api";
import { makeProject, makeTeam, type Team } from "../helpers/harness";
import { cookieIn, joinTeam } from "../helpers/membership";
import { launch, shot, watchErrors } from "./helpers/browser";
import { startRun } from "./helpers/runs";

const SLOW = { timeout: 15_000, interval: 100 };
let browser: Browser;
let team: Team;
let project: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  browser = await launch();
  team = await makeTeam("Runs UI", { plan: "enterprise" });
  project = `table-${uniq()}`;
  const url = stack().url;
  const made = [
    ["adam-small", { lr: 0.001, optimizer: "adam" }, 0.5],
    ["adam-big", { lr: 0.01, optimizer: "adam" }, 0.3],
    ["sgd-big", { lr: 0.1, optimizer: "sgd" }, 0.9],
  ] as const;
  for (const [name, config, loss] of made) {
    const run = await startRun(url, team.key, project, name, { ...config });
    // A metric called lr as well as the config key lr (defect 12).
    for (let step = 0; step < 5; step++) run.log({ loss: loss + (4 - step) * 0.1, lr: config.lr / (step + 1) }, { step });
    await run.finish();
    ids[name] = run.id;
  }
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const rowOf = (page: Page, name: string) => page.locator("[data-testid=runs-table] .rt-row", { hasText: name });
const rowCount = (page: Page) => page.locator("[data-testid=runs-table] .rt-row:not(.group)").count();

async function open(cookie: string, width = 1440, path = projectHref(project)) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, extraHTTPHeaders: { cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${stack().url}${path}`);
  await rowOf(page, "adam-small").waitFor();
  return { ctx, page, errors };
}

test("group rows sit under their columns; compare wording; config and metric columns told apart; every control labelled", async () => {
  const { ctx, page, errors } = await open(team.cookie, 1440, `${projectHref(project)}?group=optimizer`);
  const group = page.locator("[data-testid=runs-table] .rt-row.group[data-group=adam]");
  await group.waitFor();
  // The group's mean loss sits exactly under the loss column's header (defect 6).
  for (const col of ["summary.loss.last", "config.optimizer"]) {
    const head = (await page.locator(`.rt-head [data-col="${col}"]`).boundingBox())!;
    const cell = (await group.locator(`[data-col="${col}"]`).boundingBox())!;
    expect(Math.abs(cell.x - head.x), col).toBeLessThan(2);
    expect(Math.abs(cell.width - head.width), col).toBeLessThan(2);
  }
  // adam runs end at loss 0.5 and 0.3: the group's mean is 0.4.
  expect(await group.locator('[data-col="summary.loss.last"]').textContent()).toMatch(/^0\.4/);
  expect(await group.locator('[data-col="config.optimizer"]').textContent()).toBe("adam");
  await shot(page, "runs-group-1440");

  // Config lr and metric lr: the same name, told apart by a tag (defect 12).
  expect(await page.locator('.rt-head [data-col="config.lr"] .col-kind').textContent()).toBe("config");
  expect(await page.locator('.rt-head [data-col="summary.lr.last"] .col-kind').textContent()).toBe("metric");

  // Compare: disabled under 2, "1 run" / "2 runs".
  const compare = page.locator(".page-head button.primary");
  expect(await compare.isDisabled()).toBe(true);
  await rowOf(page, "adam-small").locator("input[type=checkbox]").check();
  await expect.poll(() => compare.textContent()).toBe("Compare 1 run");
  expect(await compare.isDisabled()).toBe(true);
  await rowOf(page, "sgd-big").locator("input[type=checkbox]").check();
  await expect.poll(() => compare.textContent()).toBe("Compare 2 runs");
  expect(await compare.isDisabled()).toBe(false);

  // Every interactive element of the page has an accessible name (↻ and checkboxes included).
  await page.click("summary:has-text('Columns')");
  const unnamed = await page.evaluate(() => {
    const nameOf = (el: Element) => {
      const aria = el.getAttribute("aria-label") ?? el.getAttribute("title");
      if (aria?.trim()) return aria.trim();
      const id = el.getAttribute("id");
      const forLabel = id ? document.querySelector(`label[for="${id}"]`)?.textContent : null;
      const wrap = el.closest("label")?.textContent;
      return ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? (forLabel ?? wrap) : el.textContent) ?? "").trim();
    };
    return [...document.querySelectorAll(".runs-page :is(button, a, input, select, summary)")].filter((el) => !nameOf(el)).map((el) => el.outerHTML.slice(0, 120));
  });
  expect(unnamed).toEqual([]);
  expect(await page.locator("button[aria-label='Reload runs']").count()).toBe(1);
  // A metric's min checkbox names the metric, not just "min".
  expect(await page.locator("input[aria-label='metric loss min']").count()).toBe(1);
  await page.click("summary:has-text('Columns')");
  await shot(page, "runs-bulk-1440");
  expect(errors).toEqual([]);

  // The same page at 390 px: the toolbar and the bulk bar wrap instead of overflowing.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "runs-bulk-390");
  for (const sel of [".bulk-bar", ".toolbar", ".page-head"]) {
    const box = (await page.locator(sel).boundingBox())!;
    expect(box.x + box.width, sel).toBeLessThanOrEqual(390);
  }
  await page.evaluate(() => document.querySelector("[data-testid=runs-table] .rt-row.group")?.scrollIntoView());
  await shot(page, "runs-group-390");
  await ctx.close();
});

test("the filter box suggests known keys and says when a term matches no field", async () => {
  const { ctx, page } = await open(team.cookie);
  const box = page.locator("input[aria-label='Filter runs']");
  await box.fill("opt");
  await expect.poll(() => page.locator("[data-testid=filter-suggestions] [role=option]").allTextContents(), SLOW).toContain("config.optimizer");
  await box.fill("sum");
  await expect.poll(() => page.locator("[data-testid=filter-suggestions] [role=option]").allTextContents(), SLOW).toEqual(expect.arrayContaining(["summary.loss", "summary.lr"]));
  await box.fill("stat");
  await expect.poll(() => page.locator("[data-testid=filter-suggestions] [role=option]").allTextContents(), SLOW).toContain("status:running");
  // Tab takes the highlighted suggestion.
  await box.fill("optim");
  await page.locator("[data-testid=filter-suggestions]").waitFor();
  await box.press("Tab");
  expect(await box.inputValue()).toBe("config.optimizer");
  await shot(page, "runs-filter-suggest");

  // optimizer:adam names no field: said, with the fix one click away; never 0 runs silently.
  await box.fill("optimizer:adam");
  await box.press("Enter");
  const issues = page.locator("[data-testid=filter-issues]");
  await expect.poll(() => issues.textContent(), SLOW).toContain("no field optimizer; did you mean config.optimizer=adam?");
  expect(await rowCount(page)).toBe(3);
  await shot(page, "runs-filter-did-you-mean");
  await issues.locator("button:has-text('Use config.optimizer=adam')").click();
  await expect.poll(() => rowCount(page), SLOW).toBe(2);
  expect(await box.inputValue()).toBe("config.optimizer=adam");
  expect(await issues.count()).toBe(0);

  await box.fill("lr>0.01");
  await box.press("Enter");
  await expect.poll(() => issues.textContent(), SLOW).toContain("did you mean config.lr>0.01?");
  await box.fill("config.lr>");
  await box.press("Enter");
  await expect.poll(() => issues.textContent(), SLOW).toContain("has no value");
  await box.fill("config.optimiser=adam");
  await box.press("Enter");
  await expect.poll(() => issues.textContent(), SLOW).toContain("no run here has config.optimiser");

  // The name search box: name contains, on the server.
  await box.fill("");
  await box.press("Enter");
  await page.fill("input[aria-label='Search run names']", "sgd");
  await page.press("input[aria-label='Search run names']", "Enter");
  await expect.poll(() => rowCount(page), SLOW).toBe(1);
  expect(page.url()).toContain("name=sgd");
  await ctx.close();
});

test("a running run's row refreshes itself: metrics, duration and status, with the selection kept", async () => {
  const url = stack().url;
  const live = await startRun(url, team.key, project, "live-run", { lr: 0.05, optimizer: "adamw" });
  live.log({ loss: 2.5 }, { step: 0 });
  const { ctx, page } = await open(team.cookie);
  const lists: string[] = [];
  page.on("request", (r) => r.url().includes(`/runs?`) && lists.push(r.url()));
  const row = rowOf(page, "live-run");
  await row.waitFor();
  await expect.poll(() => row.locator('[data-col="summary.loss.last"]').textContent(), SLOW).toBe("2.5");
  await rowOf(page, "adam-big").locator("input[type=checkbox]").check();
  const before = await row.locator('[data-col="duration"]').textContent();
  await expect.poll(() => row.locator('[data-col="duration"]').textContent(), SLOW).not.toBe(before);
  lists.length = 0;
  live.log({ loss: 1.25 }, { step: 1 });
  await expect.poll(() => row.locator('[data-col="summary.loss.last"]').textContent(), { timeout: 20_000, interval: 200 }).toBe("1.25");
  await live.finish();
  await expect.poll(() => row.locator(".badge").first().textContent(), { timeout: 20_000, interval: 200 }).toBe("finished");
  expect(await rowOf(page, "adam-big").locator("input[type=checkbox]").isChecked()).toBe(true);
  // Only running runs were asked for again, never the whole list.
  expect(lists.length).toBeGreaterThan(0);
  expect(lists.every((u) => u.includes("status=running"))).toBe(true);
  await shot(page, "runs-live-refresh");
  await ctx.close();
  ids["live-run"] = live.id;
}, 90_000);

test("runs management: tag, archive, delete with undo, move, export; a viewer sees no write controls", async () => {
  const { ctx, page, errors } = await open(team.cookie);
  // Header links.
  expect(await page.locator(".page-head a:has-text('Charts')").getAttribute("href")).toMatch(/\/workspace$/);
  expect(await page.locator(".page-head a:has-text('Artifacts')").getAttribute("href")).toMatch(/\/artifacts$/);
  // Plots toggle mounts the plots above the table.
  await page.click("button:text-is('Plots')");
  await page.locator("[data-testid=runs-plots-panel]").waitFor();
  expect(await page.locator("button:text-is('Plots')").getAttribute("aria-pressed")).toBe("true");
  // Brush the top half of the first axis: the table shows only the runs inside, with a chip to clear.
  const total = await rowCount(page);
  const hit = page.locator("[data-testid=runs-plots-panel] .pc-hit").first();
  await hit.waitFor();
  const axis = (await hit.boundingBox())!;
  await page.mouse.move(axis.x + axis.width / 2, axis.y + 2);
  await page.mouse.down();
  await page.mouse.move(axis.x + axis.width / 2, axis.y + axis.height * 0.3, { steps: 4 });
  await page.mouse.move(axis.x + axis.width / 2, axis.y + axis.height * 0.55, { steps: 4 });
  await page.mouse.up();
  const chip = page.locator("[data-testid=brushed]");
  await chip.waitFor();
  const brushedN = Number(/^(\d+) runs? brushed/.exec((await chip.textContent())!)![1]);
  expect(brushedN).toBeGreaterThan(0);
  expect(brushedN).toBeLessThan(total);
  expect(await rowCount(page)).toBe(brushedN);
  await shot(page, "runs-plots-brushed");
  await chip.locator("button:text-is('clear')").click();
  await expect.poll(() => rowCount(page), SLOW).toBe(total);
  await page.click("button:text-is('Plots')");

  // Bulk tag two runs.
  await rowOf(page, "adam-small").locator("input[type=checkbox]").check();
  await rowOf(page, "adam-big").locator("input[type=checkbox]").check();
  const bar = page.locator("[data-testid=bulk-bar]");
  await bar.locator("button:text-is('Tag…')").click();
  await bar.locator("input[aria-label='Tags to add']").fill("best, sweep1");
  await bar.locator("button:text-is('Add tags')").click();
  await expect.poll(() => rowOf(page, "adam-small").locator(".tag").allTextContents(), SLOW).toEqual(["best", "sweep1"]);
  expect(await rowOf(page, "adam-big").locator(".tag").allTextContents()).toEqual(["best", "sweep1"]);

  // Export the selected runs as CSV: config and summary columns.
  await rowOf(page, "adam-small").locator("input[type=checkbox]").check();
  await rowOf(page, "sgd-big").locator("input[type=checkbox]").check();
  const [csv] = await Promise.all([page.waitForEvent("download"), bar.locator("button:text-is('Export CSV')").click()]);
  const text = await new Response((await csv.createReadStream()) as unknown as ReadableStream).text();
  expect(text.split("\n")[0]).toContain("config.lr");
  expect(text.split("\n")[0]).toContain("summary.loss.last");
  expect(text).toContain("adam-small");
  expect(text).toContain("sgd-big");
  expect(text.trim().split("\n")).toHaveLength(3);
  // A whole run's metrics from its row menu (the API's export route).
  await rowOf(page, "sgd-big").locator("button[aria-label='Actions for sgd-big']").click();
  const menu = page.locator("[data-testid=row-menu]");
  const href = (await menu.locator("a:has-text('Download metrics (CSV)')").getAttribute("href"))!;
  const metrics = await page.evaluate((h) => fetch(h).then((r) => r.text()), href);
  expect(metrics.split("\n")[0]).toBe("key,step,value,timestamp");
  expect(metrics).toContain("loss,4,");
  await shot(page, "runs-row-menu");

  // Archive from the row menu: gone by default, back under "Show archived" with a badge.
  await menu.locator("button:text-is('Archive')").click();
  await expect.poll(() => rowOf(page, "sgd-big").count(), SLOW).toBe(0);
  await page.check("text=Show archived");
  await expect.poll(() => rowOf(page, "sgd-big").locator(".badge.archived").count(), SLOW).toBe(1);
  await page.uncheck("text=Show archived");
  await expect.poll(() => rowOf(page, "sgd-big").count(), SLOW).toBe(0);

  // Delete two runs in bulk, then Undo.
  await rowOf(page, "adam-small").locator("input[type=checkbox]").check();
  await rowOf(page, "adam-big").locator("input[type=checkbox]").check();
  await bar.locator("button:text-is('Delete')").click();
  await expect.poll(() => rowOf(page, "adam-").count(), SLOW).toBe(0);
  const undo = page.locator("[data-testid=undo]");
  expect(await undo.textContent()).toContain("Deleted 2 runs");
  await shot(page, "runs-deleted-undo");
  await undo.locator("button:text-is('Undo')").click();
  await expect.poll(() => rowOf(page, "adam-").count(), SLOW).toBe(2);

  // Move one run to another project of the team.
  const dest = await makeProject(team);
  await rowOf(page, "adam-big").locator("input[type=checkbox]").check();
  await bar.locator("button:text-is('Move to…')").click();
  await expect.poll(() => bar.locator("select[aria-label='Move to project'] option").allTextContents(), SLOW).toContain(dest.name);
  await bar.locator("select[aria-label='Move to project']").selectOption({ label: dest.name });
  await bar.locator("button:text-is('Move')").click();
  await expect.poll(() => rowOf(page, "adam-big").count(), SLOW).toBe(0);
  const moved = await api("GET", `/api/v1/runs/${ids["adam-big"]}`, { creds: team.creds });
  expect(moved.body.run.project_id).toBe(dest.id);
  expect(errors).toEqual([]);
  await ctx.close();

  // A viewer: export yes; tag, move, archive, delete no.
  const viewer = await makeTeam("Viewer");
  await joinTeam(team, viewer, "viewer");
  const v = await open((await cookieIn(viewer, team.id)).cookie);
  await rowOf(v.page, "adam-small").locator("input[type=checkbox]").check();
  const vbar = v.page.locator("[data-testid=bulk-bar]");
  await vbar.locator("button:text-is('Export CSV')").waitFor();
  for (const label of ["Tag…", "Untag…", "Move to…", "Archive", "Delete"]) expect(await vbar.locator(`button:text-is('${label}')`).count(), label).toBe(0);
  await rowOf(v.page, "adam-small").locator("button[aria-label='Actions for adam-small']").click();
  const vmenu = v.page.locator("[data-testid=row-menu]");
  await vmenu.locator("a:has-text('Download metrics (CSV)')").waitFor();
  expect(await vmenu.locator("button").count()).toBe(0);
  await shot(v.page, "runs-viewer");
  await v.ctx.close();
}, 120_000);
