// Reports in a real headless Chromium against the real stack: write a report
// in the editor (markdown with hostile markup, a chart), save, share it, open
// the link in a fresh context with no cookies, zoom its chart, then revoke the
// link and see the page say so. Screenshots at desktop and phone widths.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, stack, uniq } from "../helpers/api";
import { makeTeam } from "../helpers/harness";
import { cookieIn, joinTeam } from "../helpers/membership";
import { dragZoom, launch, shot, watchBuckets, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 15_000, interval: 100 };
const HOSTILE =
  "## Findings\n\nAdam *wins*. <script>window.__xss=1</script> <img src=x onerror=\"window.__xss=2\">\n\n- see [x](javascript:alert(1))\n- and [docs](https://example.com/docs)\n\n" +
  "Math is text too: $\\text{<img src=x onerror=\"window.__xss=3\">}^2$\n\n$$\\frac{<script>window.__xss=4</script>}{\\sqrt{2}}$$";

test("write a report, share it, read it without a session, zoom, revoke", async () => {
  const url = stack().url;
  const team = await makeTeam();
  const project = `rep-${uniq()}`;
  for (const [name, seed] of [["adam", 1], ["sgd", 2]] as const) {
    const run = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name } })).body.run;
    const steps = Array.from({ length: 500 }, (_, i) => i);
    const values = steps.map((s) => 2 / Math.sqrt(1 + s / (20 * seed)) + Math.sin(s) * 0.05);
    const res = await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { loss: { steps, values } } } });
    expect(res.status, res.text).toBeLessThan(300);
  }

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${url}/projects/${project}`);
  // The old-style URL is rewritten to name the team once the session is known.
  await page.waitForURL(new RegExp(`/team_[^/]+/${project}$`));
  await page.click("a:has-text('Reports')");
  await page.waitForSelector("text=No reports yet");
  await page.click("button:has-text('New report')");
  await page.waitForSelector("[data-testid=report-editor]");
  await page.fill("input[aria-label='Report title']", "Optimizer study");
  await page.click("button:has-text('+ Text')");
  await page.fill("textarea[aria-label='Markdown text']", HOSTILE);
  await page.click("button:has-text('+ Chart')");
  await page.check("[data-testid=run-picker] label:has-text('adam') input");
  await page.check("[data-testid=run-picker] label:has-text('sgd') input");
  await page.check("[data-testid=pick-metrics] label:has-text('loss') input");
  await page.click("[data-testid=block-form-ok]");
  await shot(page, "reports-01-editor");
  await page.click("button:has-text('Save')");
  await page.waitForSelector("[data-testid=report] h1:has-text('Optimizer study')");
  await page.locator("[data-testid=chart] .u-over").first().waitFor();
  await shot(page, "reports-02-reader");
  const reportId = new URL(page.url()).pathname.split("/").pop()!;

  // Hostile markdown is inert: no script ran, no javascript: link exists.
  const inert = async (p: typeof page) => {
    expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await p.locator("a[href^='javascript' i]").count()).toBe(0);
    expect(await p.locator(".md script, .md img").count()).toBe(0);
    expect(await p.locator(".md a[href='https://example.com/docs']").count()).toBe(1);
    expect(await p.locator(".md .math sup").first().textContent()).toBe("2");
    expect(await p.locator(".md .math.display .frac").first().textContent()).toContain("<script>");
  };
  await inert(page);

  // Share through the dialog: the URL is shown once.
  await page.click("button:has-text('Share')");
  await page.click("button:has-text('Create link')");
  const shareUrl = await page.locator("[data-testid=share-url]").inputValue();
  expect(shareUrl).toMatch(/\/share\/shr_/);
  await page.waitForSelector("[data-testid=share-dialog] button:has-text('Revoke')");
  await shot(page, "reports-03-share-dialog");
  expect(errors).toEqual([]);

  // A fresh context: no cookies, only the link.
  const anon = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const reader = await anon.newPage();
  const readerErrors = watchErrors(reader);
  const buckets = watchBuckets(reader);
  await reader.goto(shareUrl);
  await reader.waitForSelector("[data-testid=report] h1:has-text('Optimizer study')");
  await reader.waitForSelector(".md h3:has-text('Findings')");
  const chart = "[data-testid=chart][data-key=loss]";
  await expect.poll(() => reader.locator(chart).getAttribute("data-buckets").then(Number), SLOW).toBeGreaterThan(10);
  await inert(reader);
  await shot(reader, "reports-04-shared-1440");
  const before = buckets.length;
  await dragZoom(reader, chart, 0.2, 0.5);
  await expect.poll(() => buckets.length, SLOW).toBeGreaterThan(before);
  expect(buckets.at(-1)!.get("start")).toMatch(/^\d+$/);
  await reader.waitForSelector(`${chart} button:has-text('Reset zoom')`);
  await shot(reader, "reports-05-shared-zoomed");
  await reader.setViewportSize({ width: 390, height: 844 });
  await shot(reader, "reports-06-shared-390");
  expect(readerErrors).toEqual([]);

  // Revoke (API); after the principal cache's TTL the link reads as gone.
  const links = await api("GET", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds });
  expect(links.body.links).toHaveLength(1);
  expect((await api("DELETE", `/api/v1/share-links/${links.body.links[0].id}`, { creds: team.creds })).status).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 2500));
  await reader.reload();
  await reader.waitForSelector("[data-testid=share-gone] >> text=This link has expired or was revoked");
  await shot(reader, "reports-07-revoked-390");
  await anon.close();

  // The owner's reader at phone width.
  await page.click("[data-testid=share-dialog] button:has-text('Close')");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "reports-08-reader-390");
  await ctx.close();
}, 120_000);

test("a stale save keeps the user's text and offers reload or overwrite; versions restore; viewers only read", async () => {
  const url = stack().url;
  const team = await makeTeam();
  const project = `rep-${uniq()}`;
  await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name: "r" } });
  const created = await api("POST", `/api/v1/projects/${project}/reports`, { creds: team.creds, json: { title: "Draft", blocks: [{ type: "markdown", id: "m1", text: "first" }] } });
  expect(created.status, created.text).toBe(201);
  const id = created.body.report.id;

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${url}/reports/${id}?edit=1`);
  await page.fill("textarea[aria-label='Markdown text']", "my careful words");
  // Someone else saves meanwhile.
  const theirs = await api("PUT", `/api/v1/reports/${id}`, { creds: team.creds, json: { title: "Theirs", blocks: [{ type: "markdown", id: "m1", text: "their words" }], base_version: 1 } });
  expect(theirs.status, theirs.text).toBe(200);
  await page.click("button:has-text('Save')");
  await page.waitForSelector("[data-testid=conflict] >> text=Someone else saved this report");
  expect(await page.inputValue("textarea[aria-label='Markdown text']")).toBe("my careful words");
  await shot(page, "reports-09-conflict");
  await page.click("button:has-text('Overwrite with mine')");
  await page.waitForSelector("[data-testid=report] >> text=my careful words");
  const now = await api("GET", `/api/v1/reports/${id}`, { creds: team.creds });
  expect(now.body.report).toMatchObject({ version: 3, title: "Draft" });

  // Restore version 2 (theirs) from the versions list: a new version 4.
  await page.click("button:has-text('Versions')");
  await page.click("[data-testid=versions] li:has-text('v2') button:has-text('Restore')");
  await page.waitForSelector("[data-testid=report] >> text=their words");
  expect((await api("GET", `/api/v1/reports/${id}`, { creds: team.creds })).body.report).toMatchObject({ version: 4, title: "Theirs" });
  expect(errors).toEqual([]);
  await ctx.close();

  // A viewer reads but gets no Edit or Share.
  const viewer = await makeTeam("Viewer");
  await joinTeam(team, viewer, "viewer");
  const vctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie: (await cookieIn(viewer, team.id)).cookie } });
  const vpage = await vctx.newPage();
  await vpage.goto(`${url}/reports/${id}`);
  await vpage.waitForSelector("[data-testid=report] >> text=their words");
  expect(await vpage.locator("button:has-text('Edit'), button:has-text('Share')").count()).toBe(0);
  await vctx.close();
}, 120_000);
