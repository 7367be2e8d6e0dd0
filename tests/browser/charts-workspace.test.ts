// Charts like a W&B workspace, but exact (issue 13), in a real Chromium
// against the real stack: panels in sections by key prefix, collapsible; one
// crosshair across every chart with a per-run readout in the run's colour; a
// drag zooms the whole section with exact bucket requests; settings survive a
// reload (saved on the server); y labels are never clipped; the run page has a
// System section; a one-point spike in 100,000 points shows at full range.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runColor } from "../../dashboard/src/lib/colors";
import { api, stack, uniq } from "../helpers/api";
import { makeTeam, type Team } from "../helpers/harness";
import { dragZoom, launch, shot, watchBuckets, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 15_000, interval: 100 };
const chartOf = (key: string) => `[data-testid=chart][data-key="${key}"]`;
const sectionOf = (name: string) => `[data-testid=chart-section][data-section="${name}"]`;
const STEPS = 1000;

async function logRun(team: Team, project: string, name: string, k: number, extra: Record<string, (s: number) => number> = {}) {
  const run = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name } })).body.run;
  const steps = Array.from({ length: STEPS }, (_, i) => i);
  const series: Record<string, (s: number) => number> = {
    loss: (s) => 2 / Math.sqrt(1 + s / (20 * k)),
    "train/a": (s) => (k + 1) * s,
    "train/b": (s) => (k + 1) * 10 * s,
    "val/tiny": (s) => 5e-5 * (1 + 0.5 * Math.sin(s / 50)) * k,
    "system/gpu_util": (s) => 40 + k * 10 + (s % 7),
    ...extra,
  };
  const metrics = Object.fromEntries(Object.entries(series).map(([key, f]) => [key, { steps, values: steps.map(f) }]));
  const res = await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics } });
  expect(res.status, res.text).toBeLessThan(300);
  await api("POST", `/api/v1/runs/${run.id}/finish`, { creds: team.creds, json: { status: "finished" } });
  return run.id as string;
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

async function readout(page: Page, key: string) {
  return page.locator(`${chartOf(key)} [data-testid=readout]`).evaluate((el) => ({
    x: el.getAttribute("data-x"),
    runs: [...el.querySelectorAll<HTMLElement>(".ro-run")].map((s) => ({ run: s.dataset.run!, value: Number(s.dataset.value), x: Number(s.dataset.x), color: s.style.color })),
  }));
}

test("workspace: sections, synced crosshair, section zoom, collapse, saved settings, y labels", async () => {
  const url = stack().url;
  const team = await makeTeam("Charts", { plan: "enterprise" });
  const project = `ws-${uniq()}`;
  const ids: string[] = [];
  for (const [i, name] of ["alpha", "beta", "gamma"].entries()) ids.push(await logRun(team, project, name, i + 1));

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const buckets = watchBuckets(page);
  await page.goto(`${url}/projects/${project}/workspace`);
  await page.locator(`${chartOf("train/a")} .u-over`).waitFor();

  // Sections by prefix, in a stable order, the unprefixed keys in "Charts".
  await expect.poll(() => page.locator("[data-testid=chart-section]").evaluateAll((els) => els.map((e) => e.getAttribute("data-section"))), SLOW).toEqual(["Charts", "train", "val", "system"]);
  expect(await page.locator(`${sectionOf("system")} .section-toggle`).textContent()).toContain("System");
  expect(await page.locator(`${sectionOf("train")} [data-testid=chart]`).evaluateAll((els) => els.map((e) => e.getAttribute("data-key")))).toEqual(["train/a", "train/b"]);
  for (const key of ["loss", "train/a", "train/b", "val/tiny", "system/gpu_util"]) await page.locator(`${chartOf(key)}[data-drawn="1"]`).waitFor();
  await shot(page, "charts-ws-01-workspace-1440");

  // Crosshair: the pointer over train/a puts the readout on every chart, each
  // run's value at that x in the run's colour.
  const over = (await page.locator(`${chartOf("train/a")} .u-over`).boundingBox())!;
  await page.mouse.move(over.x + over.width * 0.5, over.y + over.height * 0.5, { steps: 3 });
  await expect.poll(async () => (await readout(page, "train/b")).runs.length, SLOW).toBe(3);
  for (const key of ["train/a", "train/b", "system/gpu_util"]) {
    const r = await readout(page, key);
    const x = Number(r.x);
    expect(x).toBeGreaterThan(STEPS * 0.35);
    expect(x).toBeLessThan(STEPS * 0.65);
    for (const [k, id] of ids.entries()) {
      const got = r.runs.find((s) => s.run === id)!;
      expect(got, `${key} readout for run ${k}`).toBeTruthy();
      expect(got.color).toBe(rgb(runColor(id)));
      // The value is the run's own at (about) the hovered step: a bucket is a few steps wide.
      expect(Math.abs(got.x - x)).toBeLessThan(8);
      if (key === "train/a") expect(got.value).toBe((k + 2) * got.x);
      if (key === "train/b") expect(got.value).toBe((k + 2) * 10 * got.x);
    }
  }
  await shot(page, "charts-ws-02-crosshair");

  // Zoom one chart: every chart of its section asks for exact buckets of the
  // same range; other sections keep theirs. Double-click resets the section.
  const before = buckets.length;
  await dragZoom(page, chartOf("train/a"), 0.3, 0.6);
  const zoomed = () => buckets.slice(before).filter((q) => q.get("start") !== null);
  await expect.poll(() => zoomed().map((q) => q.get("key")).sort(), SLOW).toEqual(["train/a", "train/b"]);
  const [za, zb] = ["train/a", "train/b"].map((k) => zoomed().find((q) => q.get("key") === k)!);
  expect([za!.get("start"), za!.get("end")]).toEqual([zb!.get("start"), zb!.get("end")]);
  const [start, end] = [Number(za!.get("start")), Number(za!.get("end"))];
  expect(start).toBeGreaterThan(200);
  expect(end).toBeLessThan(700);
  for (const key of ["train/a", "train/b"]) await expect.poll(() => page.locator(chartOf(key)).getAttribute("data-zoomed"), SLOW).toBe(`${start}-${end}`);
  expect(await page.locator(chartOf("loss")).getAttribute("data-zoomed")).toBeNull();
  await expect.poll(() => page.locator(chartOf("train/b")).getAttribute("data-last-x").then(Number), SLOW).toBeLessThanOrEqual(end);
  await shot(page, "charts-ws-03-section-zoom");
  const beforeReset = buckets.length;
  await page.dblclick(`${chartOf("train/b")} .u-over`);
  for (const key of ["train/a", "train/b"]) await expect.poll(() => page.locator(chartOf(key)).getAttribute("data-zoomed"), SLOW).toBeNull();
  await expect.poll(() => buckets.slice(beforeReset).filter((q) => q.get("start") === null).map((q) => q.get("key")).sort(), SLOW).toEqual(["train/a", "train/b"]);

  // Y labels of tiny values: short exponent form, each inside the axis.
  const labels = JSON.parse((await page.locator(chartOf("val/tiny")).getAttribute("data-y-labels"))!) as string[];
  expect(labels.length).toBeGreaterThan(1);
  for (const l of labels) expect(l).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
  expect(labels.some((l) => /^[1-9](\.\d+)?e-\d$/.test(l)), labels.join(" ")).toBe(true);
  for (const key of ["val/tiny", "train/b", "system/gpu_util"]) {
    const fit = await page.locator(chartOf(key)).evaluate((el) => {
      const labels = (JSON.parse(el.getAttribute("data-y-labels")!) as (string | null)[]).filter((l): l is string => l !== null);
      const ctx = document.createElement("canvas").getContext("2d")!;
      ctx.font = "11px system-ui, sans-serif";
      // The axis holds the tick (10 px), the gap (5 px) and the widest label.
      return { widest: Math.max(...labels.map((l) => ctx.measureText(l).width)), room: Number(el.getAttribute("data-y-size")) - 15 };
    });
    expect(fit.widest, key).toBeLessThanOrEqual(fit.room);
  }

  // Collapse "val", hide a run, turn on log scale: all saved for this member.
  const saved = () => page.waitForResponse((r) => r.url().endsWith("/workspace") && r.request().method() === "PUT" && r.status() === 200);
  let put = saved();
  await page.click(`${sectionOf("val")} .section-toggle`);
  await put;
  expect(await page.locator(`${sectionOf("val")} [data-testid=chart]`).count()).toBe(0);
  expect(await page.locator(`${sectionOf("val")} .section-toggle`).getAttribute("aria-expanded")).toBe("false");
  put = saved();
  await page.click(`[data-testid=run-picker] li[data-run="${ids[2]}"] button.eye`);
  await put;
  await expect.poll(() => page.locator("[data-testid=shown-count]").textContent(), SLOW).toBe("2 of 3 runs shown");
  put = saved();
  await page.check("label:has-text('Log scale') input");
  await put;

  const afterSave = buckets.length;
  await page.reload();
  await page.locator(`${chartOf("train/a")}[data-drawn="1"]`).waitFor();
  await page.locator(`${chartOf("system/gpu_util")}[data-drawn="1"]`).waitFor();
  expect(await page.locator(`${sectionOf("val")} .section-toggle`).getAttribute("aria-expanded")).toBe("false");
  expect(await page.locator("label:has-text('Log scale') input").isChecked()).toBe(true);
  expect(await page.locator("[data-testid=shown-count]").textContent()).toBe("2 of 3 runs shown");
  const reloaded = buckets.slice(afterSave);
  // A collapsed section fetches nothing; the others ask for the two shown runs only.
  expect(reloaded.some((q) => q.get("key") === "val/tiny")).toBe(false);
  expect(reloaded.find((q) => q.get("key") === "train/a")!.getAll("run").sort()).toEqual([ids[0], ids[1]].sort());
  const stored = await api("GET", `/api/v1/projects/${project}/workspace`, { creds: team.creds });
  expect(stored.body.workspace.settings).toMatchObject({ collapsed: ["val"], log_y: true });
  expect([...stored.body.workspace.settings.runs].sort()).toEqual([ids[0], ids[1]].sort());
  // Log scale: minor ticks stay unlabelled (not "null"), labels still fit.
  for (const key of ["train/a", "system/gpu_util"]) {
    const shown = (JSON.parse((await page.locator(chartOf(key)).getAttribute("data-y-labels"))!) as (string | null)[]).filter((l) => l !== null);
    expect(shown.length, key).toBeGreaterThan(1);
    for (const l of shown) expect(l, key).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
  }
  await shot(page, "charts-ws-04-after-reload");

  // Phone width: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), SLOW).toBeLessThanOrEqual(390);
  await shot(page, "charts-ws-05-workspace-390");

  // Dark theme.
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.evaluate(() => {
    document.documentElement.dataset.theme = "dark";
    window.dispatchEvent(new CustomEvent("sl:theme"));
  });
  await page.locator(`${chartOf("train/a")}[data-drawn="1"]`).waitFor();
  await page.waitForTimeout(300);
  await shot(page, "charts-ws-06-workspace-dark");

  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

test("run page: System section, and a one-point spike in 100,000 points reaches its height at full range", async () => {
  const url = stack().url;
  const team = await makeTeam("Spike", { plan: "enterprise" });
  const project = `spike-${uniq()}`;
  const runId = await logRun(team, project, "spiky", 1);
  // A flat series of 100,000 points with one spike, sent in 10 batches.
  const N = 100_000;
  const SPIKE = 54_321;
  for (let b = 0; b < 10; b++) {
    const steps = Array.from({ length: N / 10 }, (_, i) => b * (N / 10) + i);
    const res = await api("POST", `/api/v1/runs/${runId}/metrics`, {
      creds: team.creds,
      json: { seq: 100 + b, metrics: { flat: { steps, values: steps.map((s) => (s === SPIKE ? 9 : 0.5)) } } },
    });
    expect(res.status, res.text).toBeLessThan(300);
  }

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${url}/runs/${runId}`);
  await expect.poll(() => page.locator("[data-testid=chart-section]").evaluateAll((els) => els.map((e) => e.getAttribute("data-section"))), SLOW).toEqual(["Charts", "train", "val", "system"]);
  expect(await page.locator(`${sectionOf("system")} .section-toggle`).textContent()).toMatch(/^▸?\s*System/);
  await page.locator(`${chartOf("flat")}[data-drawn="1"]`).waitFor();

  // The y scale reaches the spike, and the pixels drawn in the spike's column
  // near its height are the run's colour.
  expect(Number(await page.locator(chartOf("flat")).getAttribute("data-y-max"))).toBeGreaterThanOrEqual(9);
  const hit = await page.locator(chartOf("flat")).evaluate((el, { spike, color }) => {
    const u = (el as any).__plot;
    const c = el.querySelector("canvas")!;
    const ctx = c.getContext("2d")!;
    const dpr = devicePixelRatio;
    const x = Math.round((u.valToPos(spike, "x", true) as number) - 3 * dpr);
    const y0 = Math.round(u.valToPos(9, "y", true));
    const y1 = Math.round(u.valToPos(6, "y", true));
    const img = ctx.getImageData(x, y0, Math.round(7 * dpr), y1 - y0).data;
    const want = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < img.length; i += 4) if (img[i + 3]! > 60 && Math.abs(img[i]! - want[0]!) + Math.abs(img[i + 1]! - want[1]!) + Math.abs(img[i + 2]! - want[2]!) < 90) n++;
    return n;
  }, { spike: SPIKE, color: runColor(runId) });
  expect(hit).toBeGreaterThan(2);
  await shot(page, "charts-run-01-spike-1440");
  await page.locator(chartOf("system/gpu_util")).scrollIntoViewIfNeeded();
  await page.locator(`${chartOf("system/gpu_util")}[data-drawn="1"]`).waitFor();
  await shot(page, "charts-run-02-system-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), SLOW).toBeLessThanOrEqual(390);
  await shot(page, "charts-run-03-390");
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);
