import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeProject, makeRun, makeTeam } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";
import { age, bulkRuns, countRuns, cronUntil, exists, preview } from "./helpers/retention";
import { runCron } from "./helpers/scheduled";

const HOUR = 1 / 24;
const audits = (teamId: string, action: string) =>
  sql<{ details: any; actor_kind: string; resource_id: string }>(
    "select details, actor_kind, resource_id from audit_log where team_id = $1 and action = $2 order by id",
    [teamId, action],
  );

test("a run just outside the plan's window goes with its points and logs; one just inside stays; the preview said so", async () => {
  const t = await makeTeam();
  const p = await makeProject(t);
  const inside = await makeRun(t, p.name);
  const outside = await makeRun(t, p.name);
  const steps = Array.from({ length: 500 }, (_, i) => i);
  const ingest = await api("POST", `/api/v1/runs/${outside}/metrics`, { creds: t.creds, json: { seq: 0, metrics: { loss: { steps, values: steps.map((s) => 1 / (s + 1)) } } } });
  expect(ingest.status, ingest.text).toBe(200);
  const logs = await api("POST", `/api/v1/runs/${outside}/logs`, { creds: t.creds, json: { seq: 0, lines: [{ text: "epoch 1" }] } });
  expect(logs.status, logs.text).toBe(200);
  await age(inside, 90 - HOUR);
  await age(outside, 90 + HOUR);

  const now = await preview(t, `?project=${p.id}`);
  expect(now.retention_days).toBe(90);
  expect(now.truncated).toBe(false);
  expect(now.runs.map((r) => r.id)).toEqual([outside]);
  const deletesAt = new Date(now.runs[0]!.created_at).getTime() + 90 * 86_400_000;
  expect(new Date(now.runs[0]!.deletes_at).getTime()).toBe(deletesAt);
  // Within a day both go: the dashboard's "goes soon" marks, by name as well as by id.
  expect((await preview(t, `?project=${encodeURIComponent(p.name)}&within_days=1`)).runs.map((r) => r.id)).toEqual([outside, inside]);

  await cronUntil(async () => !(await exists(outside)));
  expect(await exists(inside)).toBe(true);
  for (const table of ["metric_series", "metric_batches", "run_log_batches"]) {
    expect(await sql(`select 1 from ${table} where team_id = $1 and run_id = $2`, [t.id, outside]), table).toEqual([]);
  }
  expect(await sql("select 1 from metric_chunks where team_id = $1", [t.id])).toEqual([]);
  const [pass] = await audits(t.id, "retention.pass");
  expect(pass).toMatchObject({ actor_kind: "system", resource_id: t.id, details: { runs_deleted: 1, points_deleted: 500, retention_days: 90 } });
  expect(Math.abs(new Date(pass!.details.cutoff).getTime() - (Date.now() - 90 * 86_400_000))).toBeLessThan(10 * 60_000);
  expect((await preview(t)).runs).toEqual([]);
});

test("pinned and running runs stay whatever their age; unpinning lets retention take it", async () => {
  const t = await makeTeam();
  const p = await makeProject(t);
  const pinned = await makeRun(t, p.name);
  const running = await makeRun(t, p.name);
  const plain = await makeRun(t, p.name);
  const pin = await api("PATCH", `/api/v1/runs/${pinned}`, { creds: t.creds, json: { pinned: true } });
  expect(pin.status, pin.text).toBe(200);
  expect(pin.body.run.pinned).toBe(true);
  expect((await api("GET", `/api/v1/runs/${plain}`, { creds: t.creds })).body.run.pinned).toBe(false);
  await age(pinned, 400);
  await age(running, 400, "running");
  await age(plain, 400);
  expect((await preview(t)).runs.map((r) => r.id)).toEqual([plain]);

  await cronUntil(async () => !(await exists(plain)));
  await runCron();
  expect(await exists(pinned)).toBe(true);
  expect(await exists(running)).toBe(true);

  const unpin = await api("PATCH", `/api/v1/runs/${pinned}`, { creds: t.creds, json: { pinned: false, notes: "let it go" } });
  expect(unpin.status, unpin.text).toBe(200);
  expect(unpin.body.run).toMatchObject({ pinned: false, notes: "let it go" });
  expect((await preview(t)).runs.map((r) => r.id)).toEqual([pinned]);
  await cronUntil(async () => !(await exists(pinned)));
  expect((await audits(t.id, "run.pin")).map((a) => a.resource_id)).toEqual([pinned]);
  expect((await audits(t.id, "run.unpin")).map((a) => a.resource_id)).toEqual([pinned]);
  expectError(await api("PATCH", `/api/v1/runs/${pinned}`, { creds: t.creds, json: { pinned: "yes" } }), 400, "invalid_argument");
});

test("a project may shorten retention (owner or admin), never lengthen it past the plan", async () => {
  const t = await makeTeam();
  const short = await makeProject(t);
  const other = await makeProject(t);
  const set = await api("PATCH", `/api/v1/projects/${short.id}`, { creds: t.creds, json: { retention_days: 10 } });
  expect(set.status, set.text).toBe(200);
  expect(set.body.project.retention_days).toBe(10);
  expect((await api("GET", `/api/v1/projects/${other.id}`, { creds: t.creds })).body.project.retention_days).toBeNull();
  expect((await audits(t.id, "project.retention"))[0]).toMatchObject({ resource_id: short.id, details: { from: null, to: 10 } });

  const longer = await api("PATCH", `/api/v1/projects/${short.id}`, { creds: t.creds, json: { retention_days: 91, name: "renamed-too" } });
  expectError(longer, 400, "invalid_argument");
  expect(longer.body.error.message).toMatch(/free plan's retention of 90 days/);
  // Refused whole: the rename in the same body did not happen.
  expect((await api("GET", `/api/v1/projects/${short.id}`, { creds: t.creds })).body.project).toMatchObject({ name: short.name, retention_days: 10 });
  for (const bad of [0, 3651, 1.5, "30", true]) {
    expectError(await api("PATCH", `/api/v1/projects/${short.id}`, { creds: t.creds, json: { retention_days: bad } }), 400, "invalid_argument");
  }

  const member = await makeTeam("Member");
  await joinTeam(t, member, "member");
  const asMember = await cookieIn(member, t.id);
  expectError(await api("PATCH", `/api/v1/projects/${short.id}`, { creds: asMember, json: { retention_days: 5 } }), 403, "permission_denied");
  expect((await api("PATCH", `/api/v1/projects/${short.id}`, { creds: asMember, json: { description: "members may still edit this" } })).status).toBe(200);

  const old = await makeRun(t, short.name);
  const young = await makeRun(t, short.name);
  const elsewhere = await makeRun(t, other.name);
  await age(old, 10 + HOUR);
  await age(young, 10 - HOUR);
  await age(elsewhere, 10 + HOUR);
  const pv = await preview(t, `?project=${short.id}`);
  expect(pv.retention_days).toBe(10);
  expect(pv.runs.map((r) => r.id)).toEqual([old]);
  expect((await preview(t, `?project=${other.id}`)).retention_days).toBe(90);
  await cronUntil(async () => !(await exists(old)));
  expect(await exists(young)).toBe(true);
  expect(await exists(elsewhere)).toBe(true);

  const reset = await api("PATCH", `/api/v1/projects/${short.id}`, { creds: t.creds, json: { retention_days: null } });
  expect(reset.body.project.retention_days).toBeNull();
  expect((await preview(t, `?project=${short.id}`)).runs).toEqual([]);
});

test("passes are bounded and resume: more runs than a tick deletes go over several ticks", async () => {
  const t = await makeTeam();
  const p = await makeProject(t);
  await bulkRuns(t, p.id, 450, 120);
  const pv = await preview(t, `?project=${p.id}`);
  expect(pv.runs.length).toBe(450);
  await runCron();
  // At most 200 runs a tick, whoever's they are.
  expect(await countRuns(p.id)).toBeGreaterThanOrEqual(250);
  const ticks = await cronUntil(async () => (await countRuns(p.id)) === 0);
  expect(ticks).toBeGreaterThanOrEqual(2);
  const passes = await audits(t.id, "retention.pass");
  expect(passes.length).toBeGreaterThanOrEqual(3);
  expect(passes.reduce((n, a) => n + a.details.runs_deleted, 0)).toBe(450);
});

test("other teams keep their runs: a bigger plan, an operator override, a team being deleted", async () => {
  const free = await makeTeam();
  const paid = await makeTeam();
  const override = await makeTeam();
  await sql("update teams set plan = 'team' where id = $1", [paid.id]);
  await sql(`update teams set plan_overrides = '{"retentionDays": 30}' where id = $1`, [override.id]);
  const freeRun = await makeRun(free);
  const paidRun = await makeRun(paid);
  const overRun = await makeRun(override);
  const overYoung = await makeRun(override);
  for (const r of [freeRun, paidRun, overRun]) await age(r, 100);
  await age(overYoung, 29);
  expect((await preview(paid)).retention_days).toBe(365);
  expect((await preview(paid)).runs).toEqual([]);
  expect((await preview(override)).retention_days).toBe(30);
  expect((await preview(override)).runs.map((r) => r.id)).toEqual([overRun]);
  await cronUntil(async () => !(await exists(freeRun)) && !(await exists(overRun)));
  expect(await exists(paidRun)).toBe(true);
  expect(await exists(overYoung)).toBe(true);
  expect(await audits(paid.id, "retention.pass")).toEqual([]);

  const leaving = await makeTeam();
  const leavingRun = await makeRun(leaving);
  await age(leavingRun, 100);
  await sql("update teams set deleting_at = now() where id = $1", [leaving.id]);
  await runCron();
  await runCron();
  // Team deletion owns that team's data now; retention neither deletes nor audits there.
  const stillThere = (await sql("select 1 from teams where id = $1", [leaving.id])).length > 0;
  if (stillThere) {
    expect(await audits(leaving.id, "retention.pass")).toEqual([]);
  }
});

test("preview input: bad within_days or project is a 4xx naming it", async () => {
  const t = await makeTeam();
  for (const q of ["within_days=91", "within_days=-1", "within_days=1.5", "within_days=soon"]) {
    const res = await api("GET", `/api/v1/retention/preview?${q}`, { creds: t.creds });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/within_days/);
  }
  expectError(await api("GET", "/api/v1/retention/preview?project=nope", { creds: t.creds }), 404, "not_found");
  expectError(await api("GET", "/api/v1/retention/preview?project=a%01b", { creds: t.creds }), 400, "invalid_argument");
  expect((await preview(t, "?within_days=90")).runs).toEqual([]);
});
