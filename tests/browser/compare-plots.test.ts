// The compare page's run plots in a real Chromium against the real stack:
// brush the parallel coordinates with real mouse drags (one axis, two axes,
// move a brush, click to clear) and with the keyboard, and the legend and the
// config-diff table keep only the runs inside; hover a line for its values;
// the scatter plot draws a point per run in its colour, hovers, opens a run on
// click and filters by rectangle; at 390 px nothing overflows the page.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runColor } from "../../dashboard/src/lib/colors";
import { compareHref, runHref } from "../../dashboard/src/lib/links";
import { api, stack, uniq } from "../helpers/api";
import { makeTeam, type Team } from "../helpers/harness";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 15_000, interval: 100 };
// lr spans 0.001..0.3, so its axis is logarithmic by default: positions
// 0, .19, .40, .60, .81, 1 from the bottom. optimizer is categorical: adam, adamw, sgd.
const RUNS = [
  { name: "r1-adam", config: { lr: 0.001, optimizer: "adam", layers: 2 }, loss: 0.3 },
  { name: "r2-adam", config: { lr: 0.003, optimizer: "adam", layers: 4 }, loss: 0.25 },
  { name: "r3-sgd", config: { lr: 0.01, optimizer: "sgd", layers: 4 }, loss: 0.5 },
  { name: "r4-sgd", config: { lr: 0.03, optimizer: "sgd", layers: 8 }, loss: 0.4 },
  { name: "r5-adamw", config: { lr: 0.1, optimizer: "adamw", layers: 8 }, loss: 0.35 },
  { name: "r6-sgd", config: { lr: 0.3, optimizer: "sgd", layers: 2 }, loss: 0.6 },
];

async function seed(team: Team, project: string) {
  const ids: string[] = [];
  for (const r of RUNS) {
    const run = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name: r.name, config: r.config } })).body.run;
    const steps = [0, 1, 2];
    const res = await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { loss: { steps, values: [1, 0.7, r.loss] } } } });
    expect(res.status, res.text).toBeLessThan(300);
    ids.push(run.id);
  }
  return ids;
}

const legend = (page: Page) => page.locator("[data-testid=legend] .legend-item").allTextContents().then((t) => t.map((s) => s.trim().split(" ")[0]).sort());
const diffHeads = (page: Page) => page.locator("[data-testid=config-diff] thead th").allTextContents().then((t) => t.slice(1).sort());
const axis = (field: string) => `[data-testid=parallel-coords] g[data-field="${field}"]`;

// A point on an axis, `t` from its bottom (0) to its top (1), in page pixels.
async function axisPoint(page: Page, field: string, t: number) {
  // The hit area reaches 4 px past each end of the axis line.
  const box = (await page.locator(`${axis(field)} .pc-hit`).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + 4 + (box.height - 8) * (1 - t) };
}
async function dragAxis(page: Page, field: string, from: number, to: number) {
  const a = await axisPoint(page, field, from);
  const b = await axisPoint(page, field, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
}
async function expectShown(page: Page, names: string[]) {
  await expect.poll(() => legend(page), SLOW).toEqual(names);
  expect(await diffHeads(page)).toEqual(names);
}

test("brush the parallel coordinates and the scatter plot; the legend and config diff follow", async () => {
  const team = await makeTeam("Plots");
  const project = `plots-${uniq()}`;
  const ids = await seed(team, project);
  const url = stack().url;
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${url}${compareHref(project, ids)}`);
  await page.waitForSelector("h1:has-text('Compare 6 runs')");
  await page.waitForSelector(`${axis("config.lr")} .pc-hit`);
  const all = RUNS.map((r) => r.name).sort();
  await expectShown(page, all);
  // Default axes: the config keys that vary, then the first metric; lr on a log scale.
  const fields = await page.locator("[data-testid=parallel-coords] g[data-field]").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-field")));
  expect(fields).toEqual(["config.layers", "config.lr", "config.optimizer", "summary.loss"]);
  expect(await page.locator(`${axis("config.lr")} title`).textContent()).toContain("log");
  await expect.poll(() => page.locator("[data-testid=parallel-coords] polyline.pc-line[data-run]").count(), SLOW).toBe(6);
  await shot(page, "plots-01-compare-1440");

  // One axis: the upper half of lr holds 0.03, 0.1 and 0.3.
  await dragAxis(page, "config.lr", 1, 0.5);
  await expectShown(page, ["r4-sgd", "r5-adamw", "r6-sgd"]);
  expect(await page.locator("[data-testid=plots-count]").textContent()).toContain("3 of 6 runs");
  expect(await page.locator("[data-testid=parallel-coords] polyline.pc-line.out").count()).toBe(3);

  // A second axis intersects: sgd at the top of optimizer.
  await dragAxis(page, "config.optimizer", 1, 0.75);
  await expectShown(page, ["r4-sgd", "r6-sgd"]);
  await shot(page, "plots-02-two-brushes");

  // Drag the lr brush down by 0.3: it now holds 0.01 and 0.03.
  await dragAxis(page, "config.lr", 0.75, 0.45);
  await expectShown(page, ["r3-sgd", "r4-sgd"]);

  // A click on the lr axis outside its brush clears it; optimizer's stays.
  const off = await axisPoint(page, "config.lr", 0.03);
  await page.mouse.click(off.x, off.y);
  await expectShown(page, ["r3-sgd", "r4-sgd", "r6-sgd"]);
  expect(await page.locator(`${axis("config.lr")} [data-testid=brush]`).count()).toBe(0);

  // Keyboard: Escape clears the focused axis; arrows make and move a brush.
  await page.locator(axis("config.optimizer")).focus();
  await page.keyboard.press("Escape");
  await expectShown(page, all);
  await page.locator(axis("config.lr")).focus();
  await page.keyboard.press("ArrowUp"); // upper half
  await expectShown(page, ["r4-sgd", "r5-adamw", "r6-sgd"]);
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown"); // 0.35..0.85
  await expectShown(page, ["r3-sgd", "r4-sgd", "r5-adamw"]);
  expect(await page.locator(axis("config.lr")).getAttribute("aria-valuetext")).toMatch(/^brushed /);
  await page.keyboard.press("Escape");
  await expectShown(page, all);

  // Hover a line where it crosses the lr axis: its run's name and values.
  const at = await axisPoint(page, "config.lr", Math.log(0.1 / 0.001) / Math.log(0.3 / 0.001));
  await page.mouse.move(at.x + 1, at.y);
  const tip = page.locator("[data-testid=plot-tooltip]");
  await expect.poll(() => tip.textContent(), SLOW).toContain("r5-adamw");
  expect(await tip.textContent()).toContain("adamw");
  expect(await page.locator("[data-testid=parallel-coords] polyline.pc-hot").getAttribute("stroke")).toBe(runColor(ids[4]!));
  await shot(page, "plots-03-line-hover");

  // Scatter: lr (log) against loss, a point per run in the run's colour.
  const dots = page.locator("[data-testid=scatter] circle.sc-pt[data-run]");
  expect(await dots.count()).toBe(6);
  for (const [i, id] of ids.entries()) expect(await page.locator(`[data-testid=scatter] circle[data-run="${id}"]`).getAttribute("fill"), RUNS[i]!.name).toBe(runColor(id));
  expect(await page.locator("[aria-label='Scatter x field']").inputValue()).toBe("config.lr");
  expect(await page.locator("[aria-label='Scatter y field']").inputValue()).toBe("summary.loss");
  const centre = async (id: string) => {
    const b = (await page.locator(`[data-testid=scatter] circle[data-run="${id}"]`).boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2, box: b };
  };
  const p2 = await centre(ids[1]!);
  await page.mouse.move(p2.x, p2.y);
  await expect.poll(() => tip.textContent(), SLOW).toContain("r2-adam");
  expect(await tip.textContent()).toContain("0.25");
  await shot(page, "plots-04-scatter-hover");

  // A rectangle around the two smallest learning rates keeps those runs.
  const p1 = await centre(ids[0]!);
  const [x0, x1] = [Math.min(p1.x, p2.x) - 8, Math.max(p1.x, p2.x) + 8];
  const [y0, y1] = [Math.min(p1.y, p2.y) - 8, Math.max(p1.y, p2.y) + 8];
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
  await page.mouse.move(x1, y1, { steps: 4 });
  await page.mouse.up();
  await expectShown(page, ["r1-adam", "r2-adam"]);
  await page.waitForSelector("[data-testid=scatter-brush]");
  await shot(page, "plots-05-scatter-brush");
  await page.click("button:has-text('Clear brushes')");
  await expectShown(page, all);

  // A click on a point opens its run.
  const p6 = await centre(ids[5]!);
  await page.mouse.click(p6.x, p6.y);
  // runHref names the team and project once the app knows them; the run id ends it either way.
  await page.waitForURL((u) => u.pathname.endsWith(runHref(project, ids[5]!)));
  await page.waitForSelector("h1:has-text('r6-sgd')");
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

test("at 390 px the compare page does not overflow; the parallel coordinates scroll in their own box", async () => {
  const team = await makeTeam("Plots narrow");
  const project = `plots-${uniq()}`;
  const ids = await seed(team, project);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${stack().url}${compareHref(project, ids)}`);
  await page.waitForSelector(`${axis("config.lr")} .pc-hit`);
  await page.waitForSelector("[data-testid=scatter] circle.sc-pt");
  await page.locator("[data-testid=chart]").first().waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const box = await page.locator(".pc-box").evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(box.client).toBeLessThanOrEqual(390);
  expect(box.scroll).toBeGreaterThan(box.client);
  // Axis labels keep apart: no two overlap.
  const labels = await page.locator("[data-testid=parallel-coords] .pc-label").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right, r.top, r.bottom] as const));
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const [a, b] = [labels[i]!, labels[j]!] as const;
      expect(a[1] <= b[0] || b[1] <= a[0] || a[3] <= b[2] || b[3] <= a[2], `labels ${i} and ${j} overlap`).toBe(true);
    }
  await page.locator(".plots").scrollIntoViewIfNeeded();
  await shot(page, "plots-06-compare-390");
  await page.locator("[data-testid=scatter]").scrollIntoViewIfNeeded();
  await shot(page, "plots-07-scatter-390");

  // One run: the heading says "run", and there is nothing to brush.
  await page.goto(`${stack().url}${compareHref(project, [ids[0]!])}`);
  await page.waitForSelector("[data-testid=legend] >> text=r1-adam");
  expect((await page.locator("h1").textContent())!.trim()).toBe("Compare 1 run");
  expect(await page.locator("[data-testid=runs-plots]").count()).toBe(0);
  expect(errors).toEqual([]);
  await ctx.close();
}, 90_000);
