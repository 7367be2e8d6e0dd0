// The settings area in a real headless Chromium against the real stack: an
// owner makes an invite link, a stranger signs up through it and lands in the
// team, the owner changes the new member's role; the usage page matches
// GET /usage and warns when an override puts a limit past 80 %; the audit log
// lists what happened; a run near retention carries a badge until pinned.
// Screenshots at 1440 and 390 wide.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, randomIp, stack, uniq } from "../helpers/api";
import { sql } from "../helpers/db";
import { makeRun, makeTeam } from "../helpers/harness";
import { launch, shot, watchErrors } from "./helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const SLOW = { timeout: 20_000, interval: 200 };
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function contextFor(cookie?: string): Promise<BrowserContext> {
  const headers: Record<string, string> = { "cf-connecting-ip": randomIp() };
  if (cookie) headers.cookie = cookie;
  return browser.newContext({ viewport: WIDE, extraHTTPHeaders: headers });
}

// Both widths of one page; the phone one must not scroll sideways as a whole.
async function shots(page: Page, name: string) {
  await shot(page, `team-${name}-1440`);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(150);
  await shot(page, `team-${name}-390`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize(WIDE);
}

test("invite, join, change role, usage with a warning, audit log, retention badge and pin", async () => {
  const url = stack().url;
  const owner = await makeTeam("Settings");
  const ownerCtx = await contextFor(owner.cookie);
  const page = await ownerCtx.newPage();
  const errors = watchErrors(page);

  // Invite: a member link, shown once with a copy button.
  await page.goto(`${url}/settings/members`);
  await page.locator("[data-testid=members] tr", { hasText: owner.email }).waitFor();
  await page.selectOption("select[aria-label='Invite role']", "member");
  await page.click("button:has-text('Create invite link')");
  const link = (await page.locator("[data-testid=invite-link] [data-testid=secret]").textContent())!.trim();
  expect(link).toMatch(new RegExp(`^${url}/invite/.+`));
  await page.locator("[data-testid=invites] tr", { hasText: "pending" }).waitFor();
  await shots(page, "01-invite-created");

  // A stranger opens the link, signs up, and lands in the owner's team.
  const guestCtx = await contextFor();
  const guest = await guestCtx.newPage();
  const guestErrors = watchErrors(guest);
  const email = `joiner-${uniq()}@example.com`;
  await guest.goto(link);
  await guest.locator("[data-testid=invite] h1", { hasText: "Join" }).waitFor();
  await shots(guest, "02-invite-page");
  await guest.fill("input[name=email]", email);
  await guest.fill("input[name=password]", "correct horse battery staple");
  await guest.click("button:has-text('Sign up and join')");
  await guest.waitForURL(/\/projects$/);
  await expect.poll(() => guest.locator("select[aria-label=Team]").inputValue(), SLOW).toBe(owner.id);
  await shot(guest, "team-03-joined-1440");

  // The owner sees the new member and makes them a viewer.
  await page.reload();
  const roleSelect = page.locator(`select[aria-label='Role of ${email}']`);
  await roleSelect.waitFor();
  expect(await roleSelect.inputValue()).toBe("member");
  await roleSelect.selectOption("viewer");
  await expect
    .poll(async () => (await api("GET", "/api/v1/members", { creds: owner.creds })).body.members.find((m: { email: string }) => m.email === email)?.role, SLOW)
    .toBe("viewer");
  await expect.poll(() => roleSelect.inputValue(), SLOW).toBe("viewer");
  await page.locator("[data-testid=invites] tr", { hasText: "accepted" }).waitFor();
  await shots(page, "04-members");

  // The new viewer sees members read-only: no role selects, no remove buttons.
  await guest.goto(`${url}/settings/members`);
  await guest.locator("[data-testid=members] tr", { hasText: owner.email }).waitFor();
  expect(await guest.locator("[data-testid=members] select").count()).toBe(0);
  expect(await guest.locator("button:has-text('Remove')").count()).toBe(0);
  await guest.locator("text=Only the team's owner and admins invite people").waitFor();

  // Runs: one finished and old enough that retention takes it within 7 days
  // (free plan: 90); retention leaves running runs alone.
  const project = `keep-${uniq()}`;
  const old = await makeRun(owner, project);
  const fresh = await makeRun(owner, project);
  for (let i = 0; i < 2; i++) await makeRun(owner, project);
  // Some points today, so the per-day chart has a bar and the month a count.
  const logged = await api("POST", `/api/v1/runs/${fresh}/metrics`, { creds: owner.creds, json: { seq: 0, metrics: { loss: { steps: [0, 1, 2, 3, 4], values: [5, 4, 3, 2, 1] } } } });
  expect(logged.status, logged.text).toBeLessThan(300);
  await sql("update runs set created_at = now() - interval '86 days', status = 'finished' where id = $1", [old]);

  // Usage: 4 runs of an overridden 5 a month is 80 %: amber, here and in the top bar.
  await sql(`update teams set plan_overrides = '{"runsPerMonth": 5}'::jsonb where id = $1`, [owner.id]);
  await expect.poll(async () => (await api("GET", "/api/v1/usage", { creds: owner.creds })).body.warnings?.length ?? 0, SLOW).toBeGreaterThan(0);
  const usage = (await api("GET", "/api/v1/usage", { creds: owner.creds })).body;
  expect(usage.limits.runsPerMonth).toBe(5);
  await page.goto(`${url}/settings/usage`);
  await page.locator("[data-testid=usage-warning]").waitFor();
  const meter = (key: string) => page.locator(`[data-testid=meter-${key}]`);
  const shown = async (key: string) => [Number(await meter(key).getAttribute("data-used")), Number(await meter(key).getAttribute("data-limit"))];
  expect(await shown("seats")).toEqual([usage.usage.seats, usage.limits.seats]);
  expect(await shown("storage_bytes")).toEqual([usage.usage.storage_bytes, usage.limits.storageBytes]);
  expect(await shown("points_this_month")).toEqual([usage.usage.points_this_month, usage.limits.metricPointsPerMonth]);
  expect(await shown("runs_this_month")).toEqual([usage.usage.runs_this_month, 5]);
  expect(usage.usage.seats).toBe(2);
  expect(usage.usage.points_this_month).toBe(5);
  expect(await meter("seats").locator("[data-testid=used]").textContent()).toBe("2");
  expect(await meter("runs_this_month").getAttribute("class")).toContain("high");
  expect(await page.locator("[data-testid=usage-warning]").textContent()).toMatch(/Runs this month: \d+%/);
  await page.locator("[data-testid=points-chart] canvas").waitFor();
  await page.locator("[data-testid=usage-flag]").waitFor();
  await shots(page, "05-usage-warning");

  // Audit log: the invite and the role change, newest first; filter by prefix.
  await page.goto(`${url}/settings/audit`);
  await page.locator("[data-testid=audit] tr[data-action='member.role_change']").waitFor();
  await page.locator("[data-testid=audit] tr[data-action='invite.create']").waitFor();
  await page.locator("[data-testid=audit] tr[data-action='invite.accept']").waitFor();
  await shots(page, "06-audit");
  await page.fill("input[aria-label='Action starts with']", "member");
  await page.click("button:has-text('Filter')");
  await page.waitForURL(/action=member\.\*/);
  await expect.poll(() => page.locator("[data-testid=audit] tr[data-action^='invite.']").count(), SLOW).toBe(0);
  await page.locator("[data-testid=audit] tr[data-action='member.role_change']").waitFor();

  // Retention: the old run is marked with its date; pinning it removes the mark.
  await page.goto(`${url}/projects/${project}`);
  const oldRow = page.locator(`[data-testid=runs-table] .rt-row[data-run='${old}']`);
  await oldRow.locator("[data-testid=retention-badge]").waitFor();
  expect(await page.locator("[data-testid=retention-badge]").count()).toBe(1);
  await shots(page, "07-runs-retention");
  await oldRow.locator("button[data-testid=pin]").click();
  await expect.poll(() => oldRow.locator("[data-testid=retention-badge]").count(), SLOW).toBe(0);
  expect(await oldRow.locator("button[data-testid=pin]").getAttribute("aria-pressed")).toBe("true");
  expect((await api("GET", `/api/v1/runs/${old}`, { creds: owner.creds })).body.run.pinned).toBe(true);
  // The run page shows it pinned; unpinning brings the badge back.
  await page.goto(`${url}/runs/${old}`);
  await page.locator("button[data-testid=pin][aria-pressed=true]").click();
  await page.locator("[data-testid=retention-badge]").waitFor();
  await shots(page, "08-run-retention");

  // Danger zone: the button stays off until the exact name is typed.
  await page.goto(`${url}/settings/team`);
  const del = page.locator("button:has-text('Delete this team')");
  expect(await del.isDisabled()).toBe(true);
  await page.fill("input[aria-label='Type the team name to confirm deletion']", "not the name");
  expect(await del.isDisabled()).toBe(true);
  await shots(page, "09-danger-zone");
  const teamName = (await page.locator("dl.kv dd").first().textContent())!.trim();
  await page.fill("input[aria-label='Type the team name to confirm deletion']", teamName);
  await del.click();
  // The owner has no other team: deleting it ends the session.
  await page.waitForURL(/\/login/);
  expect((await api("GET", "/api/v1/me", { creds: owner.creds })).status).toBeGreaterThanOrEqual(400);

  expect(errors).toEqual([]);
  expect(guestErrors).toEqual([]);
  await guestCtx.close();
  await ownerCtx.close();
}, 150_000);
