// URLs that name the team and the project (issue 13, defects 2, 3, 4, 12) in
// a real headless Chromium against the real stack: a user in two teams opens
// a run URL of team B while team A is current and lands on the run in team B;
// switching team shows that team's projects at once; a team is made through
// the "New team" dialog; breadcrumbs and tab titles use names; old /runs/<id>
// and /projects/<p> links are rewritten to the new form; a team the user is
// not in shows "not found or no access"; a bad project name says what is
// allowed. Screenshots of the projects page and the dialog at 1440 and 390.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, stack, uniq } from "../helpers/api";
import { makeProject, makeTeam } from "../helpers/harness";
import { cookieIn } from "../helpers/membership";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 15_000, interval: 100 };
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const path = (page: Page) => new URL(page.url()).pathname;
const teamSelect = (page: Page) => page.locator("select[aria-label=Team]");

async function shots(page: Page, name: string) {
  await shot(page, `urls-${name}-1440`);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(150);
  await shot(page, `urls-${name}-390`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize(WIDE);
}

test("team URLs switch team, old links redirect, switching and creating teams reload, names in crumbs and titles", async () => {
  const url = stack().url;
  // One user in two teams: A (current in the browser) and B, which the user
  // makes. A stranger's team C holds a run the user must not reach.
  const a = await makeTeam("Alpha");
  const teamB = await api("POST", "/api/v1/teams", { creds: { cookie: a.cookie }, json: { name: `Beta ${uniq()}` } });
  expect(teamB.status, teamB.text).toBe(201);
  const b = teamB.body.team as { id: string; name: string };
  const inB = await cookieIn(a, b.id);
  const projA = await makeProject(a, `alpha-proj-${uniq()}`);
  const runA = await api("POST", `/api/v1/projects/${projA.name}/runs`, { creds: a.creds, json: { name: "alpha-run" } });
  expect(runA.status, runA.text).toBe(201);
  const projB = `beta-proj-${uniq()}`;
  const runB = await api("POST", `/api/v1/projects/${projB}/runs`, { creds: inB, json: { name: "beta-run" } });
  expect(runB.status, runB.text).toBe(201);
  const c = await makeTeam("Gamma");
  const runC = await api("POST", `/api/v1/projects/secret-proj/runs`, { creds: c.creds, json: { name: "secret-run" } });
  expect(runC.status, runC.text).toBe(201);

  const ctx = await browser.newContext({ viewport: WIDE });
  const [name, value] = [a.cookie.slice(0, a.cookie.indexOf("=")), a.cookie.slice(a.cookie.indexOf("=") + 1)];
  await ctx.addCookies([{ name, value, url }]);
  const page = await ctx.newPage();
  const errors = watchErrors(page);

  // Team A is current: its projects.
  await page.goto(`${url}/projects`);
  await page.locator(`a:has-text('${projA.name}')`).waitFor();
  expect(await teamSelect(page).inputValue()).toBe(a.id);

  // Defect 2: a link to team B's run opens it, and team B becomes current.
  const runUrl = `/${b.id}/${projB}/runs/${runB.body.run.id}`;
  await page.goto(`${url}${runUrl}`);
  await page.locator("h1", { hasText: "beta-run" }).waitFor({ timeout: 15_000 });
  await expect.poll(() => teamSelect(page).inputValue(), SLOW).toBe(b.id);
  expect(path(page)).toBe(runUrl);
  const me = await api("GET", "/api/v1/me", { creds: { cookie: await cookieHeader(page, url) } });
  expect(me.body.team.id).toBe(b.id);
  // Defect 4: the crumbs read team / project / run, all names; the tab too.
  const crumbs = page.locator("[data-testid=crumbs]");
  await expect.poll(() => crumbs.innerText(), SLOW).toMatch(new RegExp(`${b.name}\\s*/\\s*${projB}\\s*/\\s*beta-run`));
  expect(await crumbs.innerText()).not.toContain("prj_");
  expect(await page.locator("[data-testid=crumb-project]").getAttribute("href")).toBe(`/${b.id}/${projB}`);
  await expect.poll(() => page.title(), SLOW).toBe(`beta-run · ${projB} · Sightline`);

  // The project crumb goes to the runs page, titled with the project's name.
  await page.click("[data-testid=crumb-project]");
  await page.locator("[data-testid=runs-table] .rt-row", { hasText: "beta-run" }).waitFor();
  expect(path(page)).toBe(`/${b.id}/${projB}`);
  await expect.poll(() => page.title(), SLOW).toBe(`${projB} · Sightline`);
  await expect.poll(() => crumbs.innerText(), SLOW).toMatch(new RegExp(`^${b.name}\\s*/\\s*${projB}$`));
  // Links inside the team name it: the run link in the table.
  expect(await page.locator("[data-testid=runs-table] a.name").first().getAttribute("href")).toBe(runUrl);

  // Defect 3: switching team on the projects page shows the other team's
  // projects at once, with no stale rows of the old team.
  await page.click("nav a[href='/projects']");
  await page.locator(`a:has-text('${projB}')`).waitFor();
  await teamSelect(page).selectOption(a.id);
  await expect.poll(() => page.locator(`a:has-text('${projA.name}')`).count(), { timeout: 5_000, interval: 50 }).toBe(1);
  expect(await page.locator(`a:has-text('${projB}')`).count()).toBe(0);
  expect(await page.locator("[data-testid=projects-team]").innerText()).toContain("Alpha");
  await expect.poll(() => page.title(), SLOW).toMatch(/^Projects · Alpha .* · Sightline$/);
  expect(await page.locator(`a:has-text('${projA.name}')`).getAttribute("href")).toBe(`/${a.id}/${projA.name}`);
  await shots(page, "01-projects");

  // Old links keep working: /runs/<id> and /projects/<p> become the new form.
  await page.goto(`${url}/runs/${runA.body.run.id}`);
  await page.locator("h1", { hasText: "alpha-run" }).waitFor();
  await expect.poll(() => path(page), SLOW).toBe(`/${a.id}/${projA.name}/runs/${runA.body.run.id}`);
  // A link made before the project was known ("-") gets the project's name.
  await page.goto(`${url}/${a.id}/-/runs/${runA.body.run.id}`);
  await expect.poll(() => path(page), SLOW).toBe(`/${a.id}/${projA.name}/runs/${runA.body.run.id}`);
  await page.goto(`${url}/projects/${projA.id}/reports`);
  await expect.poll(() => path(page), SLOW).toBe(`/${a.id}/${projA.name}/reports`);
  await page.locator("[data-testid=crumbs] >> text=Reports").waitFor();
  await expect.poll(() => page.title(), SLOW).toBe(`Reports · ${projA.name} · Sightline`);

  // A team the user is not in: a plain "not found or no access", team unchanged.
  await page.goto(`${url}/${c.id}/secret-proj/runs/${runC.body.run.id}`);
  await page.locator("[data-testid=no-access]").waitFor();
  expect(await page.locator("[data-testid=no-access]").innerText()).toMatch(/no access/i);
  expect(await page.locator("text=secret-run").count()).toBe(0);
  expect(await teamSelect(page).inputValue()).toBe(a.id);

  // Defect 12: a bad project name says which characters are allowed, inline.
  await page.goto(`${url}/projects`);
  await page.click("button:has-text('New project')");
  const nameBox = page.locator("input[aria-label='Project name']");
  await nameBox.fill("my project!");
  await page.click("form.inline-form button[type=submit]");
  const hint = page.locator("[data-testid=project-name-hint]");
  await expect.poll(() => hint.innerText(), SLOW).toMatch(/letters, digits, '\.', '_' and '-'/);
  expect(await nameBox.getAttribute("aria-invalid")).toBe("true");
  expect(await nameBox.evaluate((el: HTMLInputElement) => el.validationMessage)).toMatch(/letters, digits/);
  expect(path(page)).toBe("/projects");
  await nameBox.fill("my-project");
  await page.click("form.inline-form button[type=submit]");
  await expect.poll(() => path(page), SLOW).toBe(`/${a.id}/my-project`);

  // Defect 3: a new team through a dialog (no prompt()): Escape closes it,
  // an empty name is refused with a message, Create switches to the team.
  // The team's own URL (the first crumb) opens its projects, switching to it.
  page.on("dialog", (d) => errors.push(`browser dialog: ${d.message()}`));
  await page.goto(`${url}/${b.id}`);
  await page.locator(`a:has-text('${projB}')`).waitFor();
  await expect.poll(() => teamSelect(page).inputValue(), SLOW).toBe(b.id);
  expect(await page.locator(`a:has-text('${projA.name}')`).count()).toBe(0);
  await teamSelect(page).selectOption("__new");
  const dialog = page.locator("dialog[data-testid=team-dialog]");
  await dialog.waitFor();
  expect(await dialog.getAttribute("aria-labelledby")).toBe("new-team-title");
  expect(await page.locator("#new-team-name").evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  expect(await teamSelect(page).inputValue()).toBe(b.id);
  await teamSelect(page).selectOption("__new");
  await dialog.waitFor();
  await dialog.locator("button:has-text('Create')").click();
  await expect.poll(() => dialog.locator("#new-team-error").innerText(), SLOW).toBe("Give the team a name.");
  expect(await page.locator("label[for=new-team-name]").innerText()).toBe("Team name");
  await page.fill("#new-team-name", "Delta lab");
  await shots(page, "02-new-team-dialog");
  await dialog.locator("button:has-text('Create')").click();
  await dialog.waitFor({ state: "detached" });
  await page.locator("text=No projects yet").waitFor();
  const teams = (await api("GET", "/api/v1/teams", { creds: a.creds })).body.teams as { id: string; name: string }[];
  const delta = teams.find((t) => t.name === "Delta lab");
  expect(delta).toBeTruthy();
  await expect.poll(() => teamSelect(page).inputValue(), SLOW).toBe(delta!.id);
  expect(await page.locator(`a:has-text('${projB}')`).count()).toBe(0);
  expect(await page.locator("[data-testid=projects-team]").innerText()).toBe("Delta lab");
  await shots(page, "03-new-team-projects");

  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);

async function cookieHeader(page: Page, url: string) {
  const jar = await page.context().cookies(url);
  return jar.map((c) => `${c.name}=${c.value}`).join("; ");
}
