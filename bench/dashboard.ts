// Dashboard figures in the real Chromium against the real stack: time to the
// first drawn chart on a run with 20 metrics × 100,000 points, and of a
// project of 10,000 runs the time to the first 200-row page drawn and to all
// 10,000 runs loaded into the table (target ≤ 1 s each). Exported for
// bench/run.ts; `node --experimental-strip-types bench/dashboard.ts` runs it alone.
import { Pool } from "@neondatabase/serverless";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { buildDashboard } from "../dashboard/build.mjs";
import { launchChromium } from "../local/chromium.ts";
import { startStack } from "../local/stack.ts";
import { batchBody, makeApi, type Api } from "./api.ts";
import { seedRuns } from "./runs-page.ts";
import { log, percentile, printTable, round } from "./stats.ts";

const METRICS = 20;
const POINTS = 100_000;
const RUNS = 10_000;
const SAMPLES = 5;
const COLD_SAMPLES = 3;

// runs_table_ms: the first 200-row page drawn; runs_table_all_loaded_ms: all runs in the table.
// first_chart_cold_ms: p50 of visits each in a new browser context (no HTTP
// cache, no compiled-code cache) with a new session (the Worker's session
// cache misses too); first_chart_ms: p50 of warm visits in one context.
export type DashboardFigures = { first_chart_ms: number; first_chart_cold_ms: number; first_chart_cold_samples_ms: number[]; runs_table_ms: number; runs_table_all_loaded_ms: number; runs_scroll_worst_frame_ms: number; js_gzip_kb: number };

export async function benchDashboard(stack: { url: string; databaseUrl: string }, size = { metrics: METRICS, points: POINTS, runs: RUNS }): Promise<DashboardFigures> {
  const built = await buildDashboard({ quiet: true });
  const { api, cookie, email, password } = await signUpWithSession(stack.url);
  const runId = await bigRun(api, size.metrics, size.points);
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
  const project = await api.call<{ project: { id: string; name: string } }>("POST", "/api/v1/projects", { name: `dash-runs-${Date.now().toString(36)}` });
  try {
    await seedRuns(pool, api.teamId, project.project.id, size.runs);
  } finally {
    await pool.end().catch(() => {});
  }

  const browser = await launchChromium();
  try {
    // Cold: each visit in a new context with a fresh log-in, nothing cached.
    const cold: number[] = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await fresh.addCookies([{ name: "sl_session", value: await logIn(stack.url, email, password), url: stack.url, httpOnly: true, secure: true, sameSite: "Lax" }]);
      const page = await fresh.newPage();
      await page.goto(`${stack.url}/runs/${runId}`);
      cold.push(await mark(page, "__slFirstChart"));
      await fresh.close();
    }
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await ctx.addCookies([{ name: "sl_session", value: cookie, url: stack.url, httpOnly: true, secure: true, sameSite: "Lax" }]);
    // performance.now() in the page counts from the navigation's start: the
    // marks are the user's wait, HTML, JS, API calls and drawing included.
    const charts: number[] = [];
    for (let i = 0; i <= SAMPLES; i++) {
      const page = await ctx.newPage();
      await page.goto(`${stack.url}/runs/${runId}`);
      charts.push(await mark(page, "__slFirstChart"));
      if (process.env.BENCH_DASH_TIMINGS && i === SAMPLES) log(await timings(page));
      if (process.env.BENCH_DASH_SHOTS && i === SAMPLES) await page.waitForTimeout(1500).then(() => page.screenshot({ path: "tests/output/screenshots/bench-run-20-metrics.png" }));
      await page.close();
    }
    const tables: number[] = [];
    let allLoaded = NaN;
    let worstFrame = NaN;
    for (let i = 0; i < SAMPLES; i++) {
      const page = await ctx.newPage();
      await page.goto(`${stack.url}/projects/${project.project.name}`);
      tables.push(await mark(page, "__slRunsTable"));
      if (i === SAMPLES - 1) {
        await page.waitForFunction((n) => document.querySelector("[data-testid=run-count]")?.textContent === `${n.toLocaleString()} runs`, size.runs, { timeout: 120_000 });
        allLoaded = await page.evaluate(() => performance.now());
        worstFrame = await scrollWorstFrame(page);
        if (process.env.BENCH_DASH_SHOTS) await page.screenshot({ path: "tests/output/screenshots/bench-runs-table.png" });
      }
      await page.close();
    }
    return {
      first_chart_cold_ms: round(percentile(cold, 50)),
      first_chart_cold_samples_ms: cold.map((x) => round(x)),
      // The first visit of the warm context fills its cache; the rest are warm.
      first_chart_ms: round(percentile(charts.slice(1), 50)),
      runs_table_ms: round(percentile(tables, 50)),
      runs_table_all_loaded_ms: round(allLoaded),
      runs_scroll_worst_frame_ms: round(worstFrame),
      js_gzip_kb: round(built.gzipBytes / 1024),
    };
  } finally {
    await browser.close();
  }
}

async function mark(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => (window as any)[n] !== undefined, name, { timeout: 60_000, polling: 50 });
  return page.evaluate((n) => (window as any)[n] as number, name);
}

// Where the time went: each request's start and end since navigation, in ms.
async function timings(page: Page): Promise<string> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .concat(performance.getEntriesByType("navigation"))
      .map((e) => `${Math.round(e.startTime)}–${Math.round((e as PerformanceResourceTiming).responseEnd)} ${e.name.replace(location.origin, "").slice(0, 90)}`)
      .join("\n  "),
  );
}

// Scrolls the whole 10,000-row table in 40 frames and returns the longest frame.
async function scrollWorstFrame(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const el = document.querySelector("[data-testid=runs-table] .vlist") as HTMLElement;
    let worst = 0;
    let last = performance.now();
    for (let i = 1; i <= 40; i++) {
      el.scrollTop = (el.scrollHeight * i) / 40;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }
    return worst;
  });
}

export async function signUpWithSession(url: string): Promise<{ api: Api; cookie: string; email: string; password: string }> {
  const email = `dash-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const password = "correct horse battery staple";
  const res = await fetch(`${url}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.98.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` },
    body: JSON.stringify({ email, password, team_name: "Dashboard bench" }),
  });
  const body = (await res.json()) as { api_key?: { key: string }; team?: { id: string } };
  if (res.status !== 201 || !body.api_key) throw new Error(`signup → ${res.status}: ${JSON.stringify(body)}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sl_session="))!.split(";")[0]!.slice("sl_session=".length);
  return { api: makeApi(url, body.api_key.key, body.team!.id), cookie, email, password };
}

// A new session (a log-in), for a visit that finds no session cached in the Worker.
export async function logIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.97.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login → ${res.status}: ${await res.text()}`);
  return res.headers.getSetCookie().find((c) => c.startsWith("sl_session="))!.split(";")[0]!.slice("sl_session=".length);
}

// One run, `metrics` keys × `points` steps, in 10,000-point batches, 4 at a time.
async function bigRun(api: Api, metrics: number, points: number): Promise<string> {
  const t0 = performance.now();
  const { run } = await api.call<{ run: { id: string } }>("POST", "/api/v1/projects/dash-charts/runs", { name: "twenty-metrics", config: { lr: 0.01 } });
  const keys = Array.from({ length: metrics }, (_, i) => `group${i % 4}/metric_${i}`);
  const perKey = Math.floor(10_000 / metrics);
  const batches = Math.ceil(points / perKey);
  let next = 0;
  const worker = async () => {
    for (let b = next++; b < batches; b = next++) {
      const from = b * perKey;
      await api.post(`/api/v1/runs/${run.id}/metrics`, batchBody(b, keys, from, Math.min(perKey, points - from), (k, s) => 2 / Math.sqrt(1 + s / 500) + Math.sin(s + k.length) * 0.05));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await api.call("POST", `/api/v1/runs/${run.id}/finish`, { status: "finished" });
  log(`dashboard: logged ${metrics} × ${points.toLocaleString()} points in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return run.id;
}

export function printDashboard(f: DashboardFigures) {
  printTable([
    { name: "dashboard JS, gzipped", value: f.js_gzip_kb, unit: "KB", target: "≤ 250", ok: f.js_gzip_kb <= 250 },
    { name: "first drawn chart, 20 × 100,000 pts (warm, p50)", value: f.first_chart_ms, unit: "ms", target: "≤ 1,000", ok: f.first_chart_ms <= 1000 },
    { name: `  same, cold: new context + new session (p50 of ${f.first_chart_cold_samples_ms.length})`, value: f.first_chart_cold_ms, unit: "ms", target: "≤ 1,000", ok: f.first_chart_cold_ms <= 1000 },
    { name: "runs table of 10,000 runs: first 200-row page drawn (p50)", value: f.runs_table_ms, unit: "ms" },
    { name: "runs table: all 10,000 runs loaded into the table", value: f.runs_table_all_loaded_ms, unit: "ms", target: "≤ 1,000", ok: f.runs_table_all_loaded_ms <= 1000 },
    { name: "  worst frame scrolling all 10,000 rows", value: f.runs_scroll_worst_frame_ms, unit: "ms" },
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-dash-"));
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  const stack = await startStack({ dataDir, databaseUrl: serverUrl, freshDatabase: `sightline_dash_${Date.now().toString(36)}`, appEnv: "development" });
  try {
    printDashboard(await benchDashboard(stack));
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
