// Artifacts in the dashboard (issue 13, defect 1), in a real Chromium against
// the real stack: one artifact logged by a run through the Node SDK
// (run.logArtifact), one uploaded with the CLI (`sightline artifact put`) and
// used by another run. The project's Artifacts page lists both with versions,
// aliases, sizes, the producing and using runs and their files; a download
// link gives the exact bytes; an image and a text file preview inline; the
// run's Files tab shows the artifact it logged. Screenshots at 1440 and 390.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { artifactsHref } from "../../dashboard/src/lib/links.ts";
import { main as cli } from "../../sdk/cli/index.ts";
import { api, randomIp, stack, uniq } from "../helpers/api";
import { makeTeam } from "../helpers/harness";
import { auditPage } from "./helpers/a11y";
import { png } from "./helpers/png";
import { launch, shot, watchErrors } from "./helpers/browser";
import { startRun } from "./helpers/runs";

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), "sightline-artifacts-ui-"));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const SLOW = { timeout: 15_000, interval: 150 };
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

// Every control named, nothing past the right edge, text readable (WCAG AA).
async function audit(page: Page, name: string, width: number) {
  const a = await auditPage(page, { width, checkContrast: true });
  expect(a.unnamed, `${name}: unnamed controls`).toEqual([]);
  expect(a.overflow, `${name}: overflow at ${width}`).toEqual([]);
  expect(a.lowContrast, `${name}: low contrast`).toEqual([]);
}

async function shots(page: Page, name: string) {
  await audit(page, name, WIDE.width);
  await shot(page, `artifacts-${name}-1440`);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(200);
  await shot(page, `artifacts-${name}-390`);
  await audit(page, name, PHONE.width);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize(WIDE);
}

test("artifacts logged by the SDK and the CLI show on the Artifacts page and the run's Files tab", async () => {
  const url = stack().url;
  const team = await makeTeam("Artifacts", { plan: "enterprise" });
  const project = `art-${uniq()}`;

  // A run logs a model folder through the SDK.
  const model = join(dir, "model");
  await mkdir(join(model, "eval"), { recursive: true });
  const weights = randomBytes(70_000);
  await writeFile(join(model, "weights.bin"), weights);
  await writeFile(join(model, "eval", "notes.txt"), "hello artifact\nval/acc 0.93\n");
  await writeFile(join(model, "eval", "sample.png"), png(24, 24, () => [220, 40, 40]));
  const trainer = await startRun(url, team.key, project, "trainer", { lr: 0.01 });
  const logged = await trainer.logArtifact(model, { name: "resnet", type: "model", aliases: ["best"] });
  expect(logged.version.version).toBe(1);
  trainer.logConsole("epoch 1 saved resnet:v1\n");
  await trainer.finish();

  // The CLI uploads a dataset; another run uses it.
  const ds = join(dir, "ds");
  await mkdir(ds, { recursive: true });
  await writeFile(join(ds, "train.csv"), "x,y\n1,2\n3,4\n");
  vi.stubEnv("SIGHTLINE_BASE_URL", url);
  vi.stubEnv("SIGHTLINE_API_KEY", team.key);
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    expect(await cli(["artifact", "put", ds, "--project", project, "--name", "cifar", "--type", "dataset", "--alias", "gold"])).toBe(0);
  } finally {
    log.mockRestore();
  }
  const consumer = await startRun(url, team.key, project, "consumer", { lr: 0.1 });
  await consumer.useArtifact("cifar:gold", join(dir, "got"));
  await consumer.finish();

  const ctx = await browser.newContext({ viewport: WIDE, extraHTTPHeaders: { "cf-connecting-ip": randomIp(), cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);

  // The project's Artifacts page: both artifacts, versions, aliases, runs, files.
  await page.goto(`${url}${artifactsHref(project)}`);
  const resnet = page.locator("[data-testid=artifact-card][data-artifact=resnet]");
  const cifar = page.locator("[data-testid=artifact-card][data-artifact=cifar]");
  await resnet.locator("[data-testid=artifact-version] tr[data-path='weights.bin']").waitFor();
  await cifar.locator("[data-testid=artifact-version] tr[data-path='train.csv']").waitFor();
  expect(await resnet.locator("h2").textContent()).toBe("resnet");
  expect(await page.locator("[data-testid=crumbs]").textContent()).toContain(project);
  await expect.poll(() => page.title(), SLOW).toBe(`Artifacts · ${project} · Sightline`);
  expect(await resnet.locator(".artifact-versions tr[data-version='1'] [data-testid=alias]").allTextContents()).toEqual(expect.arrayContaining(["best", "latest"]));
  expect(await cifar.locator(".artifact-versions tr[data-version='1'] [data-testid=alias]").allTextContents()).toEqual(expect.arrayContaining(["gold", "latest"]));
  expect(await resnet.locator("[data-testid=produced-by] a").textContent()).toBe("trainer");
  expect(await cifar.locator("[data-testid=produced-by]").textContent()).toContain("no run");
  expect(await cifar.locator("[data-testid=used-by] a").textContent()).toBe("consumer");
  expect(await resnet.locator("[data-testid=artifact-version] tr[data-path]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-path")).sort())).toEqual([
    "eval/notes.txt",
    "eval/sample.png",
    "weights.bin",
  ]);
  expect(await resnet.locator("tr[data-path='weights.bin']").textContent()).toContain("68.4 KB");
  expect(await resnet.locator(".artifact-versions tr[data-version='1'] td.num").last().textContent()).toBe("3");

  // Download: the link's bytes are the bytes the SDK uploaded.
  const href = (await resnet.locator("tr[data-path='weights.bin'] [data-testid=download]").getAttribute("href"))!;
  const got = Buffer.from(await (await fetch(href)).arrayBuffer());
  expect(got.length).toBe(weights.length);
  expect(got.equals(weights)).toBe(true);

  // Previews: the text file's contents, the image's pixels.
  await resnet.locator("button[aria-label='Preview eval/notes.txt']").click();
  await expect.poll(() => resnet.locator("[data-testid=text-preview]").textContent(), SLOW).toContain("hello artifact");
  await resnet.locator("button[aria-label='Preview eval/sample.png']").click();
  await expect.poll(() => resnet.locator("[data-testid=image-preview]").evaluate((img: HTMLImageElement) => img.naturalWidth), SLOW).toBe(24);
  await shots(page, "01-page");

  // Aliases: point "production" at v1, remove "best"; "latest" cannot be removed.
  await resnet.locator("input[aria-label='Add alias to resnet:v1']").fill("production");
  await resnet.locator("input[aria-label='Add alias to resnet:v1']").press("Enter");
  const rowAliases = () => resnet.locator(".artifact-versions tr[data-version='1'] [data-testid=alias]").allTextContents();
  await expect.poll(rowAliases, SLOW).toContain("production");
  await resnet.locator("button[aria-label='Remove alias best from resnet:v1']").click();
  await expect.poll(rowAliases, SLOW).not.toContain("best");
  expect((await rowAliases()).sort()).toEqual(["latest", "production"]);
  expect(await resnet.locator("button[aria-label='Remove alias latest from resnet:v1']").count()).toBe(0);
  const byAlias = await api("GET", `/api/v1/projects/${project}/artifacts/resnet/versions/production`, { creds: team.creds });
  expect(byAlias.status, byAlias.text).toBe(200);
  expect(byAlias.body.version.version).toBe(1);
  expect((await api("GET", `/api/v1/projects/${project}/artifacts/resnet/versions/best`, { creds: team.creds })).status).toBe(404);

  // From the producing run's link to its Files tab: the artifact it logged.
  await resnet.locator("[data-testid=produced-by] a").click();
  await page.locator("[role=tab]", { hasText: "Files" }).click();
  const out = page.locator("[data-testid=run-outputs] [data-testid=artifact-version][data-artifact=resnet]");
  await out.locator("tr[data-path='weights.bin']").waitFor();
  expect(await out.locator("h3").textContent()).toContain("resnet:v1");
  expect((await out.locator("[data-testid=alias]").allTextContents()).sort()).toEqual(["latest", "production"]);
  const runHrefOut = (await out.locator("tr[data-path='weights.bin'] [data-testid=download]").getAttribute("href"))!;
  expect(Buffer.from(await (await fetch(runHrefOut)).arrayBuffer()).equals(weights)).toBe(true);
  await out.locator("button[aria-label='Preview eval/notes.txt']").click();
  await expect.poll(() => out.locator("[data-testid=text-preview]").textContent(), SLOW).toContain("val/acc 0.93");
  expect(await page.locator("[data-testid=run-inputs]").count()).toBe(0);
  await shots(page, "02-files-tab");

  // The run's console output: a labelled log box that Tab reaches.
  await page.locator("[role=tab]", { hasText: "Logs" }).click();
  const logBox = page.locator("[role=log][aria-label='Console output']");
  await logBox.locator(".log-line", { hasText: "epoch 1 saved" }).waitFor();
  expect(await logBox.getAttribute("tabindex")).toBe("0");
  await page.locator("input[aria-label='Search output']").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("log");
  await audit(page, "logs", WIDE.width);

  // The consumer's Files tab lists what it used.
  await page.goto(`${url}${artifactsHref(project)}`);
  await cifar.locator("[data-testid=used-by] a").click();
  await page.locator("[role=tab]", { hasText: "Files" }).click();
  await page.locator("[data-testid=run-inputs] [data-artifact=cifar] tr[data-path='train.csv']").waitFor();
  expect(errors).toEqual([]);
  await ctx.close();
});
