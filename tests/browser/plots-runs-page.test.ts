// The run plots on the runs page with 500 runs, in a real Chromium: a brush
// narrows the runs table (RunsPlots' onFilter), and dragging a brush, moving
// it and sweeping the pointer over the lines keeps every frame short.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { projectHref } from "../../dashboard/src/lib/links";
import { api, stack, uniq } from "../helpers/api";
import { makeTeam } from "../helpers/harness";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 20_000, interval: 200 };
const N = 500;
const OPT = ["adam", "adamw", "sgd"];

async function axisPoint(page: Page, field: string, t: number) {
  const box = (await page.locator(`[data-testid=parallel-coords] g[data-field="${field}"] .pc-hit`).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + 4 + (box.height - 8) * (1 - t) };
}

// Frame gaps (requestAnimationFrame) and long tasks (main-thread tasks over
// 50 ms, which is what makes a frame late) while `work` runs.
async function frames(page: Page, work: () => Promise<void>) {
  await page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __long: number[]; __on: boolean; __obs: PerformanceObserver };
    w.__gaps = [];
    w.__long = [];
    w.__on = true;
    w.__obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration)));
    w.__obs.observe({ type: "longtask" });
    let last = performance.now();
    const loop = (t: number) => {
      w.__gaps.push(t - last);
      last = t;
      if (w.__on) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  await work();
  return page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __long: number[]; __on: boolean; __obs: PerformanceObserver };
    w.__on = false;
    w.__obs.disconnect();
    return { gaps: w.__gaps.slice(1), long: w.__long };
  });
}

test("500 runs: brushing the plots narrows the runs table; frames stay short", async () => {
  const team = await makeTeam("Plots perf", { plan: "enterprise" });
  const project = `plots-${uniq()}`;
  // lr is log-uniform over 1e-4..1e-1, so run i sits at i/499 up its (log) axis.
  const todo = Array.from({ length: N }, (_, i) => i);
  const worker = async () => {
    for (let i = todo.shift(); i !== undefined; i = todo.shift()) {
      const config = { lr: 10 ** (-4 + (3 * i) / (N - 1)), optimizer: OPT[i % 3], layers: 2 + (i % 11) };
      let res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name: `run-${i}`, config } });
      // workerd may restart under a loaded machine; a create is safe to send again after a 503.
      for (let t = 0; t < 3 && res.status === 503; t++) res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name: `run-${i}`, config } });
      expect(res.status, res.text).toBe(201);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  // A 503 may still have made its run: count what the server holds.
  const lrs: number[] = [];
  let cursor: string | null = null;
  do {
    const listed: { body: { runs: { config: { lr: number } }[]; next_cursor: string | null } } = await api("GET", `/api/v1/projects/${project}/runs?limit=200${cursor ? `&cursor=${cursor}` : ""}`, { creds: team.creds });
    lrs.push(...listed.body.runs.map((r) => r.config.lr));
    cursor = listed.body.next_cursor;
  } while (cursor);
  const total = lrs.length;
  const upper = lrs.filter((lr) => lr >= 10 ** -2.5).length;
  expect(total).toBeGreaterThanOrEqual(N);

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${stack().url}${projectHref(project)}`);
  await page.click("button:text-is('Plots')");
  const lines = page.locator("[data-testid=parallel-coords] polyline.pc-line[data-run]");
  await expect.poll(() => lines.count(), SLOW).toBe(total);
  await expect.poll(() => page.locator("[data-testid=scatter] circle.sc-pt[data-run]").count(), SLOW).toBe(total);

  // Keyboard brush on lr: the upper half of the log axis holds lr ≥ 10^-2.5 (runs 250..499).
  await page.locator("[data-testid=parallel-coords] g[data-field='config.lr']").focus();
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => page.locator("[data-testid=plots-count]").textContent(), SLOW).toContain(`${upper} of ${total} runs`);
  await expect.poll(() => page.locator("[data-testid=brushed]").textContent(), SLOW).toMatch(new RegExp(`^${upper} runs brushed`));
  await page.keyboard.press("Escape");
  await expect.poll(() => page.locator("[data-testid=brushed]").count(), SLOW).toBe(0);

  // Mouse: draw a brush, drag it, then sweep over the lines (tooltips).
  const m = await frames(page, async () => {
    const a = await axisPoint(page, "config.lr", 0.95);
    const b = await axisPoint(page, "config.lr", 0.55);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 25 });
    await page.mouse.up();
    const c = await axisPoint(page, "config.lr", 0.75);
    const d = await axisPoint(page, "config.lr", 0.35);
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    await page.mouse.move(d.x, d.y, { steps: 25 });
    await page.mouse.up();
    const from = await axisPoint(page, "config.layers", 0.5);
    const to = await axisPoint(page, "config.optimizer", 0.5);
    for (let i = 0; i <= 30; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 30, from.y + 40 * Math.sin(i / 3));
  });
  const sorted = [...m.gaps].sort((x, y) => x - y);
  const p50 = sorted[Math.floor(sorted.length / 2)]!;
  const max = sorted[sorted.length - 1]!;
  console.log(`plots, ${N} runs: ${m.gaps.length} frames, p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms; long tasks: ${m.long.map((x) => x.toFixed(0)).join(", ") || "none"}`);
  // The brush was moved down to ~0.15..0.55 of the axis: the table follows.
  const brushed = Number(/^(\d+) runs? brushed/.exec((await page.locator("[data-testid=brushed]").textContent())!)![1]);
  expect(brushed).toBeGreaterThan(150);
  expect(brushed).toBeLessThan(250);
  expect(await page.locator("[data-testid=plots-count]").textContent()).toContain(`${brushed} of ${total} runs`);
  await shot(page, "plots-08-runs-page-500");
  expect(m.gaps.length).toBeGreaterThan(10);
  // The median frame stays within 50 ms while brushing and hovering 500 runs.
  // The slowest frame and the long tasks are printed, not asserted: on a
  // shared 2-core machine (load ~9) they follow the neighbours' load.
  // Painting each line with `opacity` made p50 50 ms and long tasks of
  // 60–290 ms on the same machine.
  expect(p50, "median frame while brushing 500 runs (ms)").toBeLessThanOrEqual(50);
  expect(errors).toEqual([]);
  await ctx.close();
}, 180_000);
