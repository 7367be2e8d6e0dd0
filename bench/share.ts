// Issue 12: a shared report of 10 chart panels, each one metric over 10 runs
// of 100,000 points, read the way its readers read it: first paint in real
// Chromium (navigation → all 10 charts drawn, cold in a fresh context and warm
// on reload, p50 of ≥ 5 each), then share-link bucket reads per second on the
// one Worker (N clients replaying the page's own bucket requests with the
// link's token). `node --experimental-strip-types bench/share-only.ts` runs it alone.
import { Pool } from "@neondatabase/serverless";
import type { Browser, Page } from "playwright-core";
import { buildDashboard } from "../dashboard/build.mjs";
import { launchChromium } from "../local/chromium.ts";
import { batchBody, createRun, signUp, type Api } from "./api.ts";
import type { BenchStack } from "./stack.ts";
import { log, percentile, round } from "./stats.ts";
import { settleCompaction } from "./storage.ts";

const RUNS = 10;
const PANELS = 10;
const SAMPLES = 5;
const CLIENTS = 16;
// Tall enough that all 10 panels are on screen at once: charts below the fold
// wait until scrolled near (metric-chart.tsx), and the figure is all 10 drawn.
const VIEWPORT = { width: 1400, height: 4200 };

export type ShareFigures = {
  runs: number;
  panels: number;
  points_per_series: number;
  points_total: number;
  ingest_s: number;
  viewport: string;
  first_paint_cold_p50_ms: number;
  first_paint_warm_p50_ms: number;
  first_paint_cold_ms: number[];
  first_paint_warm_ms: number[];
  bucket_requests_per_paint: number;
  share_reads: Reads;
  // The same requests with the team's API key (what the link's scoping costs), and one client alone.
  key_reads: Reads;
  share_reads_1_client: Reads;
  bucket_request: string;
};
type Reads = { clients: number; seconds: number; requests: number; req_per_s: number; p50_ms: number; p95_ms: number; non_200: number };

export async function benchShare(stack: BenchStack, quick: boolean): Promise<ShareFigures> {
  const points = quick ? 10_000 : 100_000;
  await buildDashboard({ quiet: true });
  const api = await retried(() => signUp(stack.url));
  const t0 = performance.now();
  const { runIds, keys } = await seed(api, points);
  const ingestS = (performance.now() - t0) / 1000;
  log(`share: logged ${RUNS} runs × ${PANELS} keys × ${points.toLocaleString()} points in ${ingestS.toFixed(1)} s`);
  // A report is shared after training: the cron has compacted the runs' chunks by then.
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
  try {
    await settleCompaction(stack.url, pool);
  } finally {
    await pool.end().catch(() => {});
  }
  const shareUrl = await shareReport(api, runIds, keys);
  const token = new URL(shareUrl).pathname.split("/")[2]!;

  const browser = await launchChromium();
  let cold: number[];
  let warm: number[];
  let requests: string[];
  try {
    ({ cold, warm, requests } = await paints(browser, shareUrl));
  } finally {
    await browser.close();
  }
  log(`share: first paint cold ${cold.map(Math.round).join(", ")} ms; warm ${warm.map(Math.round).join(", ")} ms`);
  const seconds = quick ? 4 : 10;
  const reads = await shareReads(stack.url, token, requests, seconds, CLIENTS, "the link's token");
  const keyReads = await shareReads(stack.url, api.key, requests, seconds, CLIENTS, "the team's API key");
  const oneClient = await shareReads(stack.url, token, requests, seconds, 1, "the link's token");
  return {
    runs: RUNS,
    panels: PANELS,
    points_per_series: points,
    points_total: RUNS * PANELS * points,
    ingest_s: round(ingestS),
    viewport: `${VIEWPORT.width}×${VIEWPORT.height}`,
    first_paint_cold_p50_ms: round(percentile(cold, 50)),
    first_paint_warm_p50_ms: round(percentile(warm, 50)),
    first_paint_cold_ms: cold.map((x) => round(x)),
    first_paint_warm_ms: warm.map((x) => round(x)),
    bucket_requests_per_paint: requests.length,
    share_reads: reads,
    key_reads: keyReads,
    share_reads_1_client: oneClient,
    bucket_request: new URL(requests[0]!).search,
  };
}

// wrangler dev restarts the Worker when a source file changes (the tree is
// shared while the bench runs): a sign-up caught by a restart is tried again.
async function retried<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 1000 * i));
    }
  }
}

// 10 runs, each logging 10 keys × `points` steps, in full 10,000-point batches, 8 in flight.
async function seed(api: Api, points: number): Promise<{ runIds: string[]; keys: string[] }> {
  const project = `share-bench-${Date.now().toString(36)}`;
  const keys = Array.from({ length: PANELS }, (_, i) => `panel_${i}/loss`);
  const runIds: string[] = [];
  for (let r = 0; r < RUNS; r++) runIds.push(await createRun(api, project, `run-${r}`, { lr: 10 ** -(2 + r / 5) }));
  const perKey = 10_000 / PANELS;
  const jobs = runIds.flatMap((run, r) => Array.from({ length: Math.ceil(points / perKey) }, (_, b) => ({ run, r, b })));
  let next = 0;
  const worker = async () => {
    for (let j = jobs[next++]; j; j = jobs[next++]) {
      const from = j.b * perKey;
      const body = batchBody(j.b, keys, from, Math.min(perKey, points - from), (k, s) => (2 + k.length % 3) / Math.sqrt(1 + s / (500 * (1 + j.r))) + Math.sin(s / 50 + j.r) * 0.03);
      await api.post(`/api/v1/runs/${j.run}/metrics`, body);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await Promise.all(runIds.map((id) => api.call("POST", `/api/v1/runs/${id}/finish`, { status: "finished" })));
  return { runIds, keys };
}

async function shareReport(api: Api, runIds: string[], keys: string[]): Promise<string> {
  const run = await api.call<{ run: { project_id: string } }>("GET", `/api/v1/runs/${runIds[0]}`);
  const blocks = [
    { type: "markdown", id: "intro", text: `## Ten losses\n\n${RUNS} runs, ${PANELS} metrics, every point kept.` },
    ...keys.map((k, i) => ({ type: "chart", id: `panel-${i}`, title: k, runs: runIds, keys: [k] })),
  ];
  const { report } = await api.call<{ report: { id: string } }>("POST", `/api/v1/projects/${run.run.project_id}/reports`, { title: "Share bench", blocks });
  const link = await api.call<{ url: string }>("POST", `/api/v1/reports/${report.id}/share-links`, {});
  return link.url;
}

// performance.now() in the page counts from the navigation's start, so each
// figure is the reader's whole wait: HTML, JS, the report, every bucket read, drawing.
async function allDrawn(page: Page): Promise<number> {
  try {
    const handle = await page.waitForFunction(
      (n) => document.querySelectorAll("[data-testid=chart][data-drawn='1']").length >= n && performance.now(),
      PANELS,
      { timeout: 60_000, polling: "raf" },
    );
    return (await handle.jsonValue()) as number;
  } catch (err) {
    const seen = await page.evaluate(() => ({
      charts: document.querySelectorAll("[data-testid=chart]").length,
      drawn: document.querySelectorAll("[data-testid=chart][data-drawn='1']").length,
      errors: [...document.querySelectorAll("[data-testid=chart] .form-error")].map((e) => e.textContent),
    }));
    throw new Error(`share: not all ${PANELS} panels drew: ${JSON.stringify(seen)}`, { cause: err });
  }
}

// A sample whose page failed (wrangler dev restarts the Worker when a file of
// the shared tree changes, failing the reads in flight) is logged and taken again.
async function sample(what: string, fn: () => Promise<number>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt === 3) throw err;
      log(`share: ${what} failed, taken again: ${(err as Error).message}`);
    }
  }
}

async function paints(browser: Browser, url: string): Promise<{ cold: number[]; warm: number[]; requests: string[] }> {
  const cold: number[] = [];
  let requests: string[] = [];
  // One untimed visit first, so the first cold figure is not also the Worker's and Postgres' first.
  for (let i = 0; i <= SAMPLES; i++) {
    const ms = await sample(`cold paint ${i}`, async () => {
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      try {
        const page = await ctx.newPage();
        const seen: string[] = [];
        page.on("request", (r) => r.url().includes("/api/v1/metrics/buckets") && seen.push(r.url()));
        await page.goto(url);
        const t = await allDrawn(page);
        requests = seen;
        return t;
      } finally {
        await ctx.close();
      }
    });
    if (i > 0) cold.push(ms);
  }
  const warm: number[] = [];
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const page = await ctx.newPage();
  await sample("warm-up visit", async () => (await page.goto(url), allDrawn(page)));
  for (let i = 0; i < SAMPLES; i++) warm.push(await sample(`warm paint ${i}`, async () => (await page.reload(), allDrawn(page))));
  await ctx.close();
  return { cold, warm, requests };
}

// `clients` clients, one request in flight each, replaying the page's bucket reads with a credential.
async function shareReads(base: string, token: string, urls: string[], seconds: number, clients: number, what: string): Promise<Reads> {
  if (urls.length === 0) throw new Error("the shared page made no bucket requests");
  const headers = { authorization: `Bearer ${token}` };
  const paths = urls.map((u) => new URL(u)).map((u) => `${base}${u.pathname}${u.search}`);
  const latencies: number[] = [];
  let non200 = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < until; i++) {
        const s = performance.now();
        const res = await fetch(paths[i % paths.length]!, { headers });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        if (res.status !== 200) non200++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  if (non200 > latencies.length / 100) throw new Error(`share reads: ${non200} of ${latencies.length} answers were not 200`);
  const out = { clients, seconds: round(elapsed), requests: latencies.length, req_per_s: round(latencies.length / elapsed), p50_ms: round(percentile(latencies, 50)), p95_ms: round(percentile(latencies, 95)), non_200: non200 };
  log(`share: ${out.requests} bucket reads with ${what} in ${out.seconds} s = ${out.req_per_s} req/s, p50 ${out.p50_ms} ms, p95 ${out.p95_ms} ms (${clients} client(s))`);
  return out;
}

export const describeShare = (f: ShareFigures): string[] => [
  `shared report, ${f.panels} panels × ${f.runs} runs × ${f.points_per_series.toLocaleString()} points (viewport ${f.viewport}): first paint, all panels drawn, cold p50 ${f.first_paint_cold_p50_ms} ms (target ≤ 1,500${f.first_paint_cold_p50_ms <= 1500 ? ", ok" : ", MISSED"}), warm p50 ${f.first_paint_warm_p50_ms} ms; ${f.bucket_requests_per_paint} bucket reads a paint`,
  `share-link bucket reads on one Worker: ${f.share_reads.req_per_s} req/s, p50 ${f.share_reads.p50_ms} ms, p95 ${f.share_reads.p95_ms} ms (${f.share_reads.clients} clients, ${f.share_reads.seconds} s, ${f.share_reads.non_200} not 200); same reads with the team's key ${f.key_reads.req_per_s} req/s, p50 ${f.key_reads.p50_ms} ms; one client ${f.share_reads_1_client.req_per_s} req/s, p50 ${f.share_reads_1_client.p50_ms} ms; each read: ${f.bucket_request.replace(/run=[^&]+&?/g, "").replace(/^\?/, "")} over ${f.runs} runs`,
];
