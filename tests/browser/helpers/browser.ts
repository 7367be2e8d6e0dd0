import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Frame, Page } from "playwright-core";
import { launchChromium } from "../../../local/chromium.ts";

export const SCREENSHOTS = fileURLToPath(new URL("../../output/screenshots/", import.meta.url));

export const launch = launchChromium;

export async function shot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}

// Every request the page makes for metric buckets, parsed, in order.
export function watchBuckets(page: Page) {
  const seen: URLSearchParams[] = [];
  page.on("request", (req) => {
    const u = new URL(req.url());
    if (u.pathname === "/api/v1/metrics/buckets") seen.push(u.searchParams);
  });
  return seen;
}

// Browser console errors fail the test: a broken page should not pass quietly.
export function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  return errors;
}

// Drag across a chart's plot area from one fraction of its width to another.
// A chart inside a frame is found in `within`; the mouse is the page's.
export async function dragZoom(page: Page, chart: string, from: number, to: number, within: Page | Frame = page) {
  const over = within.locator(`${chart} .u-over`);
  const box = (await over.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((from + to) / 2), y, { steps: 4 });
  await page.mouse.move(box.x + box.width * to, y, { steps: 4 });
  await page.mouse.up();
}
