// The run overview shows summary values set by hand (PATCH summary) beside
// the metric summaries, in a real headless Chromium against the real stack.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
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

test("summary overrides appear in the run overview's summary", async () => {
  const team = await makeTeam();
  const created = await api("POST", `/api/v1/projects/p-${uniq()}/runs`, { creds: team.creds, json: { name: "with-overrides" } });
  const run = created.body.run;
  await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { acc: { steps: [0, 1], values: [0.5, 0.8] } } } });
  const patched = await api("PATCH", `/api/v1/runs/${run.id}`, { creds: team.creds, json: { summary: { best_acc: 0.93, "eval/split": "test" } } });
  expect(patched.status, patched.text).toBe(200);

  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, extraHTTPHeaders: { cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${stack().url}/runs/${run.id}`);
  await page.click("[role=tab]:has-text('Overview')");
  const overrides = page.locator("[data-testid=summary-overrides] tbody tr");
  await overrides.first().waitFor();
  expect(await overrides.allInnerTexts()).toEqual([expect.stringMatching(/best_acc\s+0\.93/), expect.stringMatching(/eval\/split\s+test/)]);
  await page.locator("[data-testid=summary] >> text=acc").first().waitFor();
  await shot(page, "run-overview-summary-overrides");
  expect(errors).toEqual([]);
  await ctx.close();
});
