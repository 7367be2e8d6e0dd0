// One chart panel of a shared report embedded in an <iframe> on a page of
// another origin (a tiny local http server): the snippet comes from the share
// dialog's "Embed a panel", the panel draws exactly and zooms inside the
// frame, with no app chrome. The dashboard itself (/projects) refuses to be
// framed: its answer carries frame-ancestors 'none' and the frame stays empty.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, stack } from "../helpers/api";
import { dragZoom, launch, shot, watchBuckets, watchErrors } from "./helpers/browser";
import { sharedReport } from "./helpers/shared-report";

let browser: Browser;
let host: Server;
let hostUrl: string;
let hostPage = "";
beforeAll(async () => {
  browser = await launch();
  host = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(hostPage));
  await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
  // "localhost", not 127.0.0.1: another site than the stack's, not only another port.
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => host?.close(r));
});

const SLOW = { timeout: 15_000, interval: 100 };

const frameAt = (page: Page, part: string) => page.frames().find((f) => f.url().includes(part));

test("embed a panel from the share dialog on another site; the dashboard cannot be framed", async () => {
  const url = stack().url;
  const shared = await sharedReport();

  // The owner makes a link and copies the embed snippet of the loss panel.
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { cookie: shared.team.cookie } });
  const owner = await ctx.newPage();
  const ownerErrors = watchErrors(owner);
  await owner.goto(`${url}/reports/${shared.reportId}`);
  await owner.click("button:has-text('Share')");
  await owner.click("button:has-text('Create link')");
  const shareUrl = await owner.locator("[data-testid=share-url]").inputValue();
  await owner.waitForSelector("[data-testid=embed-pick]");
  expect(await owner.locator("select[aria-label='Chart to embed'] option").allTextContents()).toEqual(["Training loss", "Accuracy"]);
  await owner.selectOption("select[aria-label='Chart to embed']", { label: "Training loss" });
  const token = shareUrl.split("/share/")[1]!;
  const snippet = await owner.locator("[data-testid=embed-snippet]").inputValue();
  expect(snippet).toBe(`<iframe src="${shareUrl}/embed/loss-panel" title="Training loss" width="100%" height="380" style="border:0" loading="lazy"></iframe>`);
  await shot(owner, "share-embed-01-dialog");
  expect(ownerErrors).toEqual([]);
  await ctx.close();

  // Another site's page, opened with no Sightline cookie, embeds the panel and tries to frame /projects.
  hostPage = `<!doctype html><html><body style="font:14px sans-serif;margin:20px"><h1>Lab notebook</h1><p>Our loss curve:</p>${snippet}<p>And the app itself:</p><iframe id="app-frame" src="${url}/projects" width="600" height="200"></iframe></body></html>`;
  const anon = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const page = await anon.newPage();
  const errors = watchErrors(page);
  const buckets = watchBuckets(page);
  const projectsAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === "/projects");
  await page.goto(hostUrl);
  const projects = await projectsAnswer;
  expect(projects.headers()["content-security-policy"]).toBe("frame-ancestors 'none'");
  expect(projects.headers()["x-frame-options"]).toBe("DENY");

  await expect.poll(() => frameAt(page, "/embed/loss-panel")?.url(), SLOW).toContain(`/share/${token}/embed/loss-panel`);
  const embed = frameAt(page, "/embed/loss-panel")!;
  const chart = "[data-testid=chart][data-key=loss]";
  await expect.poll(() => embed.locator(chart).getAttribute("data-buckets").then(Number), SLOW).toBeGreaterThan(100);
  await expect.poll(() => embed.locator(chart).getAttribute("data-drawn"), SLOW).toBe("1");
  // Exact: the spike at step 300 is in the drawn range (max of its bucket, not sampled away).
  expect(Number(await embed.locator(chart).getAttribute("data-y-max"))).toBeGreaterThan(2.5); // ≈ 2.1 without it
  // Just the panel: its title and legend, no header, no other block, and the small link to the report.
  expect(await embed.locator("[data-testid=chart]").count()).toBe(1);
  expect(await embed.locator("figcaption").textContent()).toBe("Training loss");
  expect(await embed.locator(".topbar, header, [data-testid=report] h1").count()).toBe(0);
  expect(await embed.locator("text=Adam converges").count()).toBe(0);
  expect(await embed.locator("a.embed-brand").getAttribute("href")).toBe(`/share/${token}`);
  const plotWidth = (await embed.locator(`${chart} .u-over`).boundingBox())!.width;
  expect(plotWidth).toBeGreaterThan(800); // full width of the 1,060 px frame
  await shot(page, "share-embed-02-on-another-site");

  // Zoom inside the frame: a new, exact range is read through the share token.
  const before = buckets.length;
  await dragZoom(page, chart, 0.3, 0.6, embed);
  await expect.poll(() => buckets.length, SLOW).toBeGreaterThan(before);
  expect(buckets.at(-1)!.get("start")).toMatch(/^\d+$/);
  await embed.waitForSelector(`${chart} button:has-text('Reset zoom')`);
  await shot(page, "share-embed-03-zoomed");

  // The framed dashboard did not render: Chromium blocked the navigation (no app, no document from the stack).
  const appFrame = frameAt(page, "/projects") ?? page.frames().find((f) => f !== page.mainFrame() && f !== embed)!;
  const rendered = await appFrame.evaluate(() => !!document.querySelector("#app")).catch(() => false);
  expect(rendered).toBe(false);
  expect(errors.filter((e) => !/frame-ancestors|X-Frame-Options|Refused to (display|frame)/.test(e))).toEqual([]);

  // Revoking the link takes the embed with it.
  const links = await api("GET", `/api/v1/reports/${shared.reportId}/share-links`, { creds: shared.team.creds });
  const dialogLink = links.body.links.find((l: { id: string }) => token.startsWith(`${l.id}_`));
  expect((await api("DELETE", `/api/v1/share-links/${dialogLink.id}`, { creds: shared.team.creds })).status).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 2500));
  await page.reload();
  await expect.poll(() => frameAt(page, "/embed/loss-panel")?.locator("[data-testid=share-gone]").count(), SLOW).toBe(1);
  await shot(page, "share-embed-04-revoked");
  await anon.close();
}, 120_000);
