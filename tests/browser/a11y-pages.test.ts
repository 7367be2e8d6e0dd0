// Every page of the dashboard, at 1440 and 390 px wide, in light and dark:
// every interactive element has an accessible name, nothing sticks out past a
// phone's width, and text meets WCAG AA contrast against what is behind it.
// Screenshots of each page at both widths land in tests/output/screenshots/.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, stack, uniq } from "../helpers/api";
import { makeTeam, type Team } from "../helpers/harness";
import { cookieIn, joinTeam } from "../helpers/membership";
import { launch, shot, watchErrors } from "./helpers/browser";
import { auditPage, type PageAudit } from "./helpers/a11y";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

type Fixture = { team: Team; project: string; runs: string[]; reportId: string; shareToken: string; viewerCookie: string };

async function fixture(): Promise<Fixture> {
  const team = await makeTeam("A11y", { plan: "enterprise" });
  const project = `a11y-${uniq()}`;
  const runs: string[] = [];
  for (const [i, [name, lr, opt]] of ([["adam-small", 0.001, "adam"], ["sgd-big", 0.1, "sgd"], ["adam-big", 0.01, "adam"]] as const).entries()) {
    const run = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name, config: { lr, optimizer: opt, layers: 4 + i }, tags: ["baseline"] } })).body.run;
    const steps = Array.from({ length: 400 }, (_, s) => s);
    const curve = (f: (s: number) => number) => ({ steps, values: steps.map(f) });
    const res = await api("POST", `/api/v1/runs/${run.id}/metrics`, {
      creds: team.creds,
      json: {
        seq: 0,
        metrics: {
          "train/loss": curve((s) => 2 / Math.sqrt(1 + s / (10 + i * 5)) + Math.sin(s) * 0.03),
          "train/lr": curve((s) => lr * 0.99 ** s),
          "val/acc": curve((s) => 1 - 1 / Math.sqrt(2 + s / 10)),
          "system/cpu": curve((s) => 40 + 10 * Math.sin(s / 7)),
          tiny: curve((s) => 5e-5 * (1 + Math.sin(s / 9))),
        },
      },
    });
    expect(res.status, res.text).toBeLessThan(300);
    await api("POST", `/api/v1/runs/${run.id}/logs`, { creds: team.creds, json: { seq: 0, lines: [{ text: "epoch 1 loss 0.42", stream: "stdout" }] } });
    if (i < 2) await api("POST", `/api/v1/runs/${run.id}/finish`, { creds: team.creds, json: { status: "finished" } });
    runs.push(run.id);
  }
  const report = await api("POST", `/api/v1/projects/${project}/reports`, {
    creds: team.creds,
    json: {
      title: "Optimizer study",
      blocks: [
        { type: "markdown", id: "m1", text: "## Findings\n\nAdam converges faster at small learning rates." },
        { type: "chart", id: "c1", runs: runs.slice(0, 2), keys: ["train/loss"], x: "step", smoothing: 0, log_y: false },
        { type: "runs_table", id: "t1", runs, columns: ["config.lr", "summary.val/acc"] },
      ],
    },
  });
  expect(report.status, report.text).toBe(201);
  const reportId = report.body.report.id as string;
  const link = await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: { expires_in_days: 7 } });
  expect(link.status, link.text).toBe(201);
  const viewer = await makeTeam("Viewer");
  await joinTeam(team, viewer, "viewer");
  const { cookie: viewerCookie } = await cookieIn(viewer, team.id);
  return { team, project, runs, reportId, shareToken: link.body.token, viewerCookie };
}

// What each page must show before it is audited.
type PageCase = { name: string; path: (f: Fixture) => string; ready: string; viewer?: boolean; anonymous?: boolean };
const PAGES: PageCase[] = [
  { name: "login", path: () => "/login", ready: "input[name=email]", anonymous: true },
  { name: "signup", path: () => "/signup", ready: "input[name=team_name]", anonymous: true },
  { name: "projects", path: () => "/projects", ready: "main a[href*='a11y-']" },
  { name: "runs", path: (f) => `/projects/${f.project}`, ready: "text=adam-small" },
  { name: "workspace", path: (f) => `/projects/${f.project}/workspace`, ready: "main .workspace-page" },
  { name: "artifacts", path: (f) => `/projects/${f.project}/artifacts`, ready: "main .artifacts-page" },
  { name: "run", path: (f) => `/runs/${f.runs[0]}`, ready: "[data-testid=chart] .u-over" },
  { name: "compare", path: (f) => `/projects/${f.project}/compare?runs=${f.runs.join(",")}`, ready: "[data-testid=legend]" },
  { name: "reports", path: (f) => `/projects/${f.project}/reports`, ready: "text=Optimizer study" },
  { name: "report", path: (f) => `/reports/${f.reportId}`, ready: "[data-testid=report] [data-testid=chart] .u-over" },
  { name: "report-editor", path: (f) => `/reports/${f.reportId}?edit=1`, ready: "[data-testid=report-editor]" },
  { name: "share", path: (f) => `/share/${f.shareToken}`, ready: "[data-testid=chart] .u-over", anonymous: true },
  { name: "settings-members", path: () => "/settings/members", ready: "main h1" },
  { name: "settings-keys", path: () => "/settings/keys", ready: "[data-testid=keys]" },
  { name: "settings-usage", path: () => "/settings/usage", ready: "main h1" },
  { name: "settings-audit", path: () => "/settings/audit", ready: "main h1" },
  { name: "settings-team", path: () => "/settings/team", ready: "main h1" },
  { name: "viewer-run", path: (f) => `/runs/${f.runs[1]}`, ready: "[data-testid=chart] .u-over", viewer: true },
];

const WIDTHS = [1440, 390] as const;
const THEMES = ["light", "dark"] as const;

test("every page: named controls, no overflow at 390 px, AA contrast in both themes", { timeout: 600_000 }, async () => {
  const f = await fixture();
  const url = stack().url;
  const problems: string[] = [];
  for (const width of WIDTHS) {
    for (const theme of THEMES) {
      const contexts = new Map<string, Page>();
      const pageFor = async (c: PageCase) => {
        const who = c.anonymous ? "anon" : c.viewer ? "viewer" : "owner";
        let page = contexts.get(who);
        if (!page) {
          const cookie = who === "owner" ? f.team.cookie : who === "viewer" ? f.viewerCookie : undefined;
          const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme, extraHTTPHeaders: cookie ? { cookie } : {} });
          await ctx.addInitScript((t) => localStorage.setItem("sl-theme", t), theme);
          page = await ctx.newPage();
          contexts.set(who, page);
        }
        return page;
      };
      for (const c of PAGES) {
        const page = await pageFor(c);
        const errors = watchErrors(page);
        await page.goto(`${url}${c.path(f)}`);
        const at = `${c.name} @${width} ${theme}`;
        const ready = await page
          .locator(c.ready)
          .first()
          .waitFor({ timeout: 20_000 })
          .then(() => true, () => false);
        if (!ready) {
          problems.push(`${at}: never showed ${c.ready}`);
          continue;
        }
        await page.waitForTimeout(300); // charts finish their first draw
        const audit: PageAudit = await auditPage(page, { width, checkContrast: true });
        for (const u of audit.unnamed) problems.push(`${at}: unnamed ${u}`);
        for (const o of audit.overflow) problems.push(`${at}: overflows ${o}`);
        for (const l of audit.lowContrast) problems.push(`${at}: contrast ${l}`);
        if (audit.pageWidth > width) problems.push(`${at}: page is ${audit.pageWidth} px wide`);
        for (const e of errors) problems.push(`${at}: console ${e}`);
        if (theme === "light") await shot(page, `a11y-${c.name}-${width}`);
        else if (width === 1440) await shot(page, `a11y-${c.name}-${width}-dark`);
      }
      for (const p of contexts.values()) await p.context().close();
    }
  }
  expect(problems).toEqual([]);
});
