// Role-aware controls (issue 13, defect 8) in a real Chromium: a viewer who
// joined by invite sees no control that would fail (edit run name, notes,
// tag add/remove, pin, create project, create report, create or revoke API
// keys, member management) and is told why on the keys page; a member gets the
// member controls and may revoke only their own keys; an admin revokes anyone's.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifactsHref, reportsHref, runHref } from "../../dashboard/src/lib/links.ts";
import { logArtifact } from "../../sdk/artifacts.ts";
import { HttpClient } from "../../sdk/client.ts";
import { api, randomIp, stack, uniq } from "../helpers/api";
import { makeTeam, type Team } from "../helpers/harness";
import { cookieIn, joinTeam } from "../helpers/membership";
import { auditPage } from "./helpers/a11y";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function pageAs(user: Team, teamId: string): Promise<Page> {
  const { cookie } = await cookieIn(user, teamId);
  const ctx = await browser.newContext({ viewport: WIDE, extraHTTPHeaders: { "cf-connecting-ip": randomIp(), cookie } });
  return ctx.newPage();
}

// Every control a viewer must not see, by its accessible name.
const EDIT_CONTROLS = ["Edit run name", "Edit notes", "Add tag"];

// Controls appear only once the session (and so the role) is known; count after that.
const sessionIn = (page: Page, teamId: string) => expect.poll(() => page.locator("select[aria-label=Team]").inputValue(), { timeout: 15_000 }).toBe(teamId);

async function countControls(page: Page) {
  const out: Record<string, number> = {};
  for (const name of EDIT_CONTROLS) out[name] = await page.locator(`[aria-label='${name}']`).count();
  out["Remove tag"] = await page.locator("[aria-label^='Remove tag']").count();
  out["Pin"] = await page.locator("button[aria-label^='Pin '], button[aria-label^='Unpin ']").count();
  return out;
}

test("a viewer sees no edit, tag, pin, create or revoke controls; a member and an admin see theirs", async () => {
  const url = stack().url;
  const owner = await makeTeam("Roles", { plan: "enterprise" });
  const [viewer, member, admin] = await Promise.all([makeTeam("Viewer"), makeTeam("Member"), makeTeam("Admin")]);
  await joinTeam(owner, viewer, "viewer");
  await joinTeam(owner, member, "member");
  await joinTeam(owner, admin, "admin");

  const project = `roles-${uniq()}`;
  const created = await api("POST", `/api/v1/projects/${project}/runs`, { creds: owner.creds, json: { name: "shared-run", tags: ["baseline"], notes: "owner's notes", config: { lr: 0.1 } } });
  expect(created.status, created.text).toBe(201);
  const runId = created.body.run.id as string;
  const dir = await mkdtemp(join(tmpdir(), "sightline-roles-"));
  await writeFile(join(dir, "w.bin"), "weights");
  await logArtifact(new HttpClient({ baseUrl: url, apiKey: owner.key }), runId, join(dir, "w.bin"), { project, name: "net", type: "model", aliases: ["best"] });
  await rm(dir, { recursive: true, force: true });

  // The viewer.
  const v = await pageAs(viewer, owner.id);
  const vErrors = watchErrors(v);
  await v.goto(`${url}${runHref(project, runId)}?tab=overview`);
  await v.locator("[data-testid=tags-readonly] .tag", { hasText: "baseline" }).waitFor();
  expect(await v.locator("[data-testid=readonly-notes]").textContent()).toBe("owner's notes");
  expect(await v.locator("h1.run-name").textContent()).toContain("shared-run");
  await sessionIn(v, owner.id);
  expect(await countControls(v)).toEqual({ "Edit run name": 0, "Edit notes": 0, "Add tag": 0, "Remove tag": 0, Pin: 0 });
  await shot(v, "roles-01-run-viewer-1440");

  await v.goto(`${url}/settings/keys`);
  await v.locator("[data-testid=keys-readonly]").waitFor();
  await v.locator("[data-testid=keys] tbody tr").first().waitFor();
  expect(await v.locator("form[aria-label='Create an API key']").count()).toBe(0);
  expect(await v.locator("button:has-text('Create key')").count()).toBe(0);
  expect(await v.locator("button:has-text('Revoke')").count()).toBe(0);
  expect(await v.locator("[data-testid=keys-readonly]").textContent()).toContain("viewer");
  await shot(v, "roles-02-keys-viewer-1440");
  expect(await auditPage(v, { width: WIDE.width, checkContrast: true })).toMatchObject({ unnamed: [], overflow: [], lowContrast: [] });
  await v.setViewportSize(PHONE);
  await v.waitForTimeout(200);
  await shot(v, "roles-02-keys-viewer-390");
  expect(await v.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  expect(await auditPage(v, { width: PHONE.width, checkContrast: false })).toMatchObject({ unnamed: [], overflow: [] });
  await v.setViewportSize(WIDE);

  await v.goto(`${url}/projects`);
  await v.locator("a", { hasText: project }).first().waitFor();
  await sessionIn(v, owner.id);
  expect(await v.locator("button:has-text('New project')").count()).toBe(0);

  await v.goto(`${url}${reportsHref(project)}`);
  await v.locator("h1", { hasText: "Reports" }).waitFor();
  await v.locator(".state.empty", { hasText: "No reports yet" }).waitFor();
  await sessionIn(v, owner.id);
  expect(await v.locator("button:has-text('New report')").count()).toBe(0);

  await v.goto(`${url}${artifactsHref(project)}`);
  await v.locator("[data-testid=artifact-version][data-artifact=net] [data-testid=alias]", { hasText: "best" }).waitFor();
  await sessionIn(v, owner.id);
  expect(await v.locator("[aria-label^='Add alias'], [aria-label^='Remove alias']").count()).toBe(0);
  expect(await v.locator("[data-testid=download]").count()).toBe(1);

  await v.goto(`${url}/settings/members`);
  await v.locator("[data-testid=members] tr", { hasText: viewer.email }).waitFor();
  expect(await v.locator("select[aria-label^='Role of']").count()).toBe(0);
  expect(await v.locator("button:has-text('Create invite link')").count()).toBe(0);
  expect(vErrors).toEqual([]);

  // The member: edit controls on the run; keys of their own only.
  const m = await pageAs(member, owner.id);
  await m.goto(`${url}${runHref(project, runId)}?tab=overview`);
  await m.locator("[aria-label='Add tag']").waitFor();
  expect(await countControls(m)).toMatchObject({ "Edit run name": 1, "Edit notes": 1, "Add tag": 1, "Remove tag": 1 });
  await m.goto(`${url}/projects`);
  await m.locator("button:has-text('New project')").waitFor();
  await m.goto(`${url}${artifactsHref(project)}`);
  await m.locator("input[aria-label='Add alias to net:v1']").waitFor();
  expect(await m.locator("button[aria-label='Remove alias best from net:v1']").count()).toBe(1);
  await m.goto(`${url}/settings/keys`);
  await m.fill("input[aria-label='Key label']", "member laptop");
  await m.click("button:has-text('Create key')");
  const mine = m.locator("[data-testid=keys] tbody tr", { hasText: "member laptop" });
  await mine.waitFor();
  expect(await mine.locator("button:has-text('Revoke')").count()).toBe(1);
  const others = m.locator("[data-testid=keys] tbody tr").filter({ hasNotText: "member laptop" });
  expect(await others.count()).toBeGreaterThan(0);
  expect(await others.locator("button:has-text('Revoke')").count()).toBe(0);
  expect(await m.locator("[data-testid=keys-readonly]").count()).toBe(0);

  // The admin revokes anyone's key.
  const a = await pageAs(admin, owner.id);
  await a.goto(`${url}/settings/keys`);
  await a.locator("[data-testid=keys] tbody tr", { hasText: "member laptop" }).waitFor();
  const active = await a.locator("[data-testid=keys] tbody tr", { hasText: "active" }).count();
  expect(active).toBeGreaterThanOrEqual(2);
  expect(await a.locator("[data-testid=keys] button:has-text('Revoke')").count()).toBe(active);
});
