// Empty states show clients that exist today (issue 13, defect 11): the
// Python SDK (python/README.md), the Node SDK (sdk/README.md) and the MLflow
// client, with this server's origin and the project filled in and a copy
// button. The Python and Node snippets are run exactly as shown, against the
// stack, and their runs then appear in the project. Screenshots at 1440 and 390.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { projectHref } from "../../dashboard/src/lib/links.ts";
import { exec, PYTHON, ROOT } from "../../local/python-exec.ts";
import { api, randomIp, stack, uniq } from "../helpers/api";
import { makeTeam } from "../helpers/harness";
import { auditPage } from "./helpers/a11y";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), "sightline-empty-states-"));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const SLOW = { timeout: 20_000, interval: 250 };
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function shots(page: Page, name: string) {
  await shot(page, `empty-${name}-1440`);
  expect(await auditPage(page, { width: WIDE.width, checkContrast: true }), name).toMatchObject({ unnamed: [], overflow: [], lowContrast: [] });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(200);
  await shot(page, `empty-${name}-390`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
  expect(await auditPage(page, { width: PHONE.width, checkContrast: false }), name).toMatchObject({ unnamed: [], overflow: [] });
  await page.setViewportSize(WIDE);
}

async function snippet(page: Page, client: "Python" | "Node.js" | "MLflow") {
  const box = page.locator("[data-testid=setup-snippet]");
  await box.locator(".seg button", { hasText: client }).click();
  await expect.poll(() => box.locator(".seg button[aria-pressed=true]").textContent()).toBe(client);
  return { shell: (await box.locator("[data-testid=snippet-shell]").textContent())!, code: (await box.locator("[data-testid=snippet-code]").textContent())! };
}

// `export NAME=value   # comment` lines of a shown shell block.
function exportsOf(shell: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of shell.matchAll(/^export (\w+)=(\S+)/gm)) env[m[1]!] = m[2]!;
  return env;
}

test("empty projects and runs pages show working Python, Node and MLflow snippets", { timeout: 240_000 }, async () => {
  const url = stack().url;
  const team = await makeTeam("Empty", { plan: "enterprise" });
  const ctx = await browser.newContext({ viewport: WIDE, extraHTTPHeaders: { "cf-connecting-ip": randomIp(), cookie: team.cookie } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);

  // No projects: the snippet names this server.
  await page.goto(`${url}/projects`);
  await page.locator(".state.empty", { hasText: "No projects yet" }).waitFor();
  const first = await snippet(page, "Python");
  expect(first.shell).toContain("pip install ./python");
  expect(exportsOf(first.shell).SIGHTLINE_BASE_URL).toBe(url);
  expect(first.code).toContain('sightline.init(project="my-project"');
  expect(await page.locator("[data-testid=setup-snippet] button[aria-label^='Copy']").count()).toBe(2);
  await shots(page, "01-projects");

  // An empty project: the snippets name it.
  const project = `empty-${uniq()}`;
  const made = await api("POST", "/api/v1/projects", { creds: team.creds, json: { name: project } });
  expect(made.status, made.text).toBe(201);
  await page.goto(`${url}${projectHref(project)}`);
  await page.locator(".state.empty", { hasText: "No runs in this project yet" }).waitFor();
  const py = await snippet(page, "Python");
  const node = await snippet(page, "Node.js");
  const mlflow = await snippet(page, "MLflow");
  await shots(page, "02-project-mlflow");
  expect(exportsOf(mlflow.shell).MLFLOW_TRACKING_URI).toBe(url);
  expect(exportsOf(mlflow.shell)).toHaveProperty("MLFLOW_TRACKING_TOKEN");
  expect(mlflow.code).toContain(`mlflow.set_experiment(${JSON.stringify(project)})`);

  // The Python snippet, as shown: pip install ./python (into a folder of our
  // own, offline), the exported variables with a real key, then the code.
  const env: Record<string, string> = { ...exportsOf(py.shell), SIGHTLINE_API_KEY: team.key, SIGHTLINE_DIR: join(dir, "journal") };
  expect(env.SIGHTLINE_BASE_URL).toBe(url);
  expect(py.code).toContain(`project=${JSON.stringify(project)}`);
  const target = join(dir, "site");
  const pip = await exec(PYTHON, ["-m", "pip", "install", "-q", "--no-deps", "--no-index", "--disable-pip-version-check", "--target", target, "./python"]);
  expect(pip.code, pip.out).toBe(0);
  await writeFile(join(dir, "train.py"), py.code);
  const ran = await exec(PYTHON, [join(dir, "train.py")], { ...env, PYTHONPATH: target }, 120_000);
  expect(ran.code, ran.out).toBe(0);

  // The Node snippet, as shown, from a folder where `sightline` resolves to this
  // repository's package (what `npm install /path/to/sightline` gives).
  const nodeDir = join(ROOT, "tests", "output", `snippet-${uniq()}`);
  await mkdir(nodeDir, { recursive: true });
  try {
    await writeFile(join(nodeDir, "train.mjs"), node.code);
    const nodeEnv: Record<string, string> = { ...exportsOf(node.shell), SIGHTLINE_API_KEY: team.key };
    expect(nodeEnv.SIGHTLINE_BASE_URL).toBe(url);
    const nodeRan = await exec(process.execPath, [join(nodeDir, "train.mjs")], nodeEnv, 120_000);
    expect(nodeRan.code, nodeRan.out).toBe(0);
  } finally {
    await rm(nodeDir, { recursive: true, force: true });
  }

  // Both runs are in the project, with the loss the snippets logged.
  await page.reload();
  await expect.poll(() => page.locator("[data-testid=runs-table] .rt-row").count(), SLOW).toBe(2);
  const runs = await api("GET", `/api/v1/projects/${project}/runs`, { creds: team.creds });
  expect(runs.status, runs.text).toBe(200);
  expect(runs.body.runs.map((r: any) => r.status).sort()).toEqual(["finished", "finished"]);
  for (const r of runs.body.runs) expect(r.summary.loss.count).toBe(100);
  expect(errors).toEqual([]);
  await ctx.close();
});
