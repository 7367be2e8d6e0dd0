// Printing a report (the browser's "print to PDF"): under print media the
// shared page and the owner's page hide the app's chrome (header, buttons,
// notes for screen) and keep the title, the text and the drawn charts; and
// Chromium's PDF of the shared page is a real multi-page document.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { stack } from "../helpers/api";
import { SCREENSHOTS, dragZoom, launch, watchErrors } from "./helpers/browser";
import { sharedReport } from "./helpers/shared-report";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 15_000, interval: 100 };
const CHARTS = ["loss", "acc"];

async function chartsDrawn(page: Page) {
  for (const key of CHARTS) {
    const chart = page.locator(`[data-testid=chart][data-key=${key}]`);
    // The lower chart draws once it nears the viewport.
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(() => chart.getAttribute("data-drawn"), SLOW).toBe("1");
  }
  await page.evaluate(() => scrollTo(0, 0));
}

// What a printed page keeps: title, text and both charts' canvases, at a real size.
async function keepsContent(page: Page) {
  expect(await page.locator("[data-testid=report] h1").isVisible()).toBe(true);
  expect(await page.locator("text=Adam converges faster than SGD").isVisible()).toBe(true);
  for (const key of CHARTS) {
    const box = await page.locator(`[data-testid=chart][data-key=${key}] canvas`).boundingBox();
    expect(box?.width, key).toBeGreaterThan(400);
    expect(box?.height, key).toBeGreaterThan(100);
  }
}

const visibleButtons = (page: Page) => page.locator("button:visible").allTextContents();

test("print media hides the chrome and keeps text and charts; the shared page prints to a multi-page PDF", async () => {
  const url = stack().url;
  const shared = await sharedReport();

  // The shared page, as a reader with only the link prints it (after zooming a chart).
  const anon = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const reader = await anon.newPage();
  const errors = watchErrors(reader);
  await reader.goto(shared.url);
  await reader.waitForSelector("[data-testid=report] h1:has-text('Optimizer study')");
  await chartsDrawn(reader);
  await dragZoom(reader, "[data-testid=chart][data-key=loss]", 0.2, 0.6);
  await reader.waitForSelector("[data-testid=chart][data-key=loss] button:has-text('Reset zoom')");
  expect(await visibleButtons(reader)).toContain("Reset zoom");
  expect(await reader.locator("text=Shared read-only from Sightline").isVisible()).toBe(true);
  // The pointer rests on a chart: its readout shows on screen, never on paper.
  await reader.hover("[data-testid=chart][data-key=acc] .u-over");
  await expect.poll(() => reader.locator("[data-testid=chart][data-key=acc] [data-testid=readout]").textContent(), SLOW).toMatch(/adam/);

  await reader.emulateMedia({ media: "print" });
  expect(await visibleButtons(reader)).toEqual([]);
  expect(await reader.locator("text=Shared read-only from Sightline").isVisible()).toBe(false);
  expect(await reader.locator("[data-testid=readout]:visible, .u-cursor-x:visible, .u-cursor-pt:visible").count()).toBe(0);
  await keepsContent(reader);
  await reader.screenshot({ path: `${SCREENSHOTS}share-print-01-shared-print-media.png`, fullPage: true });

  const pdf = await reader.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(20_000);
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)?.length ?? 0;
  expect(pages).toBeGreaterThanOrEqual(2); // each block starts a page
  expect(errors).toEqual([]);
  await anon.close();

  // The owner's own report page: its header and toolbar (Versions, Print, Share, Edit) are screen-only.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { cookie: shared.team.cookie } });
  const owner = await ctx.newPage();
  await owner.goto(`${url}/reports/${shared.reportId}`);
  await owner.waitForSelector("[data-testid=report] h1:has-text('Optimizer study')");
  await chartsDrawn(owner);
  expect(await owner.locator(".topbar").isVisible()).toBe(true);
  expect(await visibleButtons(owner)).toEqual(expect.arrayContaining(["Print", "Share", "Edit"]));
  await owner.emulateMedia({ media: "print" });
  expect(await owner.locator(".topbar").isVisible()).toBe(false);
  expect(await visibleButtons(owner)).toEqual([]);
  await keepsContent(owner);
  await owner.screenshot({ path: `${SCREENSHOTS}share-print-02-owner-print-media.png`, fullPage: true });
  await ctx.close();
}, 120_000);
