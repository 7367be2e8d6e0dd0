import { beforeAll, describe, expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeKey, makeProject, makeTeam, type Team } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";
import { sqlReport } from "./helpers/routes/share-links";

let team: Team;
let project: string;
let runA: string; // in a chart of loss
let runB: string; // in a runs table showing summary.acc
let runC: string; // same project, not in the report
let reportId: string;
let otherReport: string;

async function logMetrics(t: Team, run: string, metrics: Record<string, number[]>) {
  const body = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { steps: v.map((_, i) => i), values: v }]));
  const res = await api("POST", `/api/v1/runs/${run}/metrics`, { creds: t.creds, json: { seq: 0, metrics: body } });
  expect(res.status, res.text).toBeLessThan(300);
}

async function newRun(t: Team, projectId: string) {
  const res = await api("POST", `/api/v1/projects/${projectId}/runs`, { creds: t.creds, json: {} });
  expect(res.status, res.text).toBe(201);
  return res.body.run.id as string;
}

async function share(body: Record<string, unknown> = {}, report = reportId) {
  const res = await api("POST", `/api/v1/reports/${report}/share-links`, { creds: team.creds, json: body });
  expect(res.status, res.text).toBe(201);
  return res.body as { link: Record<string, any>; token: string; url: string };
}

// Polls until the answer is 401: revocation and expiry reach other isolates within the cache TTL (2 s in tests).
async function eventually401(path: string, token: string) {
  const until = Date.now() + 5000;
  let res = await api("GET", path, { creds: { token } });
  while (res.status !== 401 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    res = await api("GET", path, { creds: { token } });
  }
  expectError(res, 401, "unauthenticated");
}

beforeAll(async () => {
  team = await makeTeam("Share");
  project = (await makeProject(team)).id;
  [runA, runB, runC] = [await newRun(team, project), await newRun(team, project), await newRun(team, project)];
  for (const r of [runA, runB, runC]) await logMetrics(team, r, { loss: [3, 2, 1], acc: [0.1, 0.5, 0.9] });
  reportId = await sqlReport(team.id, team.userId, project, [
    { type: "markdown", id: "m", text: "hello" },
    { type: "chart", id: "c", runs: [runA], keys: ["loss"] },
    { type: "runs_table", id: "t", runs: [runB], columns: ["name", "summary.acc"] },
  ]);
  otherReport = await sqlReport(team.id, team.userId, project, [{ type: "chart", id: "c", runs: [runC], keys: ["loss"] }]);
});

describe("managing links", () => {
  test("create shows the token once, list shows created and last use, revoke ends it", async () => {
    const created = await share({ expires_in_days: 7 });
    expect(created.token).toMatch(/^shr_[0-9A-Za-z]{20}_[0-9A-Za-z]{40}$/);
    expect(created.token.startsWith(`${created.link.id}_`)).toBe(true);
    expect(created.url).toMatch(new RegExp(`/share/${created.token}$`));
    expect(created.link).toMatchObject({ report_id: reportId, created_by: team.userId, revoked_at: null, last_used_at: null, frozen: false });
    const days = (Date.parse(created.link.expires_at) - Date.parse(created.link.created_at)) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    const stored = await sql<{ secret_hash: string }>("select secret_hash from share_links where id = $1", [created.link.id]);
    expect(stored[0]!.secret_hash).not.toContain(created.token.slice(-40));

    expect((await api("GET", `/api/v1/runs/${runA}`, { creds: { token: created.token } })).status).toBe(200);
    let listed: any;
    for (let i = 0; i < 20; i++) {
      const list = await api("GET", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds });
      expect(list.status, list.text).toBe(200);
      expect(list.text).not.toContain(created.token);
      listed = list.body.links.find((l: any) => l.id === created.link.id);
      if (listed?.last_used_at) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed.last_used_at).toBeTypeOf("string");

    const del = await api("DELETE", `/api/v1/share-links/${created.link.id}`, { creds: team.creds });
    expect(del.status, del.text).toBe(204);
    expect((await api("DELETE", `/api/v1/share-links/${created.link.id}`, { creds: team.creds })).status).toBe(204);
    await eventually401(`/api/v1/runs/${runA}`, created.token);
    const after = await api("GET", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds });
    expect(after.body.links.find((l: any) => l.id === created.link.id).revoked_at).toBeTypeOf("string");
    const events = await sql<{ action: string }>("select action from audit_log where team_id = $1 and resource_id = $2 order by id", [team.id, created.link.id]);
    expect(events.map((e) => e.action)).toEqual(["share_link.create", "share_link.revoke"]);
  });

  test("a frozen link records the report's version", async () => {
    const created = await share({ frozen: true });
    expect(created.link).toMatchObject({ frozen: true, frozen_version: 1 });
  });

  test("expiry past the plan's limit → 400 naming it; another team's report → 404; bad body → 400", async () => {
    const res = await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: { expires_in_days: 31 } });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toMatch(/at most 30 .*free plan/);
    const outsider = await makeTeam("Out");
    expectError(await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: outsider.creds, json: {} }), 404, "not_found");
    expectError(await api("GET", `/api/v1/reports/${reportId}/share-links`, { creds: outsider.creds }), 404, "not_found");
    expectError(await api("POST", `/api/v1/reports/rpt_nope/share-links`, { creds: team.creds, json: {} }), 404, "not_found");
    expectError(await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: { expires_in_days: 0 } }), 400, "invalid_argument");
    expectError(await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: { frozen: "yes" } }), 400, "invalid_argument");
    const link = await share();
    expectError(await api("DELETE", `/api/v1/share-links/${link.link.id}`, { creds: outsider.creds }), 404, "not_found");
  });

  test("a read key and a viewer may list but not create or revoke", async () => {
    const read = await makeKey(team, ["read"]);
    const viewer = await makeTeam("Viewer");
    await joinTeam(team, viewer, "viewer");
    const viewerCookie = await cookieIn(viewer, team.id);
    const link = await share();
    for (const creds of [{ key: read.key }, viewerCookie]) {
      expectError(await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds, json: {} }), 403, "permission_denied");
      expectError(await api("DELETE", `/api/v1/share-links/${link.link.id}`, { creds }), 403, "permission_denied");
      expect((await api("GET", `/api/v1/reports/${reportId}/share-links`, { creds })).status).toBe(200);
    }
  });
});

describe("the share principal", () => {
  let token: string;
  beforeAll(async () => {
    token = (await share()).token;
  });
  const get = (path: string) => api("GET", path, { creds: { token } });

  test("reads its own report (a frozen link: the version it froze)", async () => {
    const res = await get(`/api/v1/reports/${reportId}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.report.id).toBe(reportId);
    const frozen = await share({ frozen: true });
    await sql("update reports set title = 'Changed', version = 2 where team_id = $1 and id = $2", [team.id, reportId]);
    await sql("insert into report_versions (team_id, report_id, version, title, blocks, saved_by) select team_id, id, 2, 'Changed', blocks, created_by from reports where team_id = $1 and id = $2", [team.id, reportId]);
    const old = await api("GET", `/api/v1/reports/${reportId}`, { creds: { token: frozen.token } });
    expect(old.body.report).toMatchObject({ title: "Shared", version: 1 });
    expect((await get(`/api/v1/reports/${reportId}`)).body.report).toMatchObject({ title: "Changed", version: 2 });
  });

  // The share page has only the token: "shared" names the link's own report.
  // For a team credential "shared" names nothing.
  test("GET /reports/shared is the link's own report; for team credentials it is 404", async () => {
    const res = await get("/api/v1/reports/shared");
    expect(res.status, res.text).toBe(200);
    expect(res.body.report.id).toBe(reportId);
    expectError(await api("GET", "/api/v1/reports/shared", { creds: team.creds }), 404, "not_found");
  });

  test("reads its runs with only the keys the report shows", async () => {
    const a = await get(`/api/v1/runs/${runA}`);
    expect(a.status, a.text).toBe(200);
    expect(Object.keys(a.body.run.summary)).toEqual(["loss"]);
    const b = await get(`/api/v1/runs/${runB}`);
    expect(Object.keys(b.body.run.summary)).toEqual(["acc"]);
    expect((await get(`/api/v1/runs/${runA}/metrics`)).body.metrics.map((m: any) => m.key)).toEqual(["loss"]);
    expect((await get(`/api/v1/runs/${runB}/metrics`)).body.metrics.map((m: any) => m.key)).toEqual(["acc"]);
    const points = await get(`/api/v1/runs/${runA}/metrics/points?key=loss`);
    expect(points.body.points.map((p: any) => p.value)).toEqual([3, 2, 1]);
    expect((await get(`/api/v1/runs/${runB}/metrics/points?key=acc`)).status).toBe(200);
    const buckets = await get(`/api/v1/metrics/buckets?run=${runA}&key=loss&buckets=3`);
    expect(buckets.status, buckets.text).toBe(200);
    expect(buckets.body.series[0].points.length).toBeGreaterThan(0);
  });

  test("anything else is a 404: another run, another key, another report, project or team", async () => {
    const outsider = await makeTeam("Far");
    const otherProject = (await makeProject(team)).id;
    const farRun = await newRun(outsider, (await makeProject(outsider)).id);
    const otherProjectRun = await newRun(team, otherProject);
    for (const path of [
      `/api/v1/runs/${runC}`,
      `/api/v1/runs/${otherProjectRun}`,
      `/api/v1/runs/${farRun}`,
      `/api/v1/runs/${runC}/metrics`,
      `/api/v1/runs/${runA}/metrics/points?key=acc`,
      `/api/v1/runs/${runB}/metrics/points?key=loss`,
      `/api/v1/runs/${runC}/metrics/points?key=loss`,
      `/api/v1/metrics/buckets?run=${runA}&key=acc`,
      `/api/v1/metrics/buckets?run=${runA}&run=${runC}&key=loss`,
      `/api/v1/metrics/buckets?run=${farRun}&key=loss`,
      `/api/v1/reports/${otherReport}`,
      `/api/v1/reports/${reportId}/share-links`,
      `/api/v1/projects/${project}/runs`,
      `/api/v1/projects/${project}/reports`,
      `/api/v1/me`,
    ]) {
      expectError(await get(path), 404, "not_found");
    }
    expectError(await api("POST", "/api/v1/auth/token", { creds: { token } }), 404, "not_found");
  });

  test("tampered, unknown, expired → 401", async () => {
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith("a") ? "b" : "a");
    expectError(await api("GET", `/api/v1/runs/${runA}`, { creds: { token: flip(token) } }), 401, "unauthenticated");
    expectError(await api("GET", `/api/v1/runs/${runA}`, { creds: { token: "shr_short" } }), 401, "unauthenticated");
    expectError(await api("GET", `/api/v1/runs/${runA}`, { creds: { token: `shr_${"x".repeat(20)}_${"y".repeat(40)}` } }), 401, "unauthenticated");
    const expiring = await share();
    expect((await api("GET", `/api/v1/runs/${runA}`, { creds: { token: expiring.token } })).status).toBe(200);
    await sql("update share_links set expires_at = now() - interval '1 second' where id = $1", [expiring.link.id]);
    await eventually401(`/api/v1/runs/${runA}`, expiring.token);
  });
});

// Every route of the API with a share token: tests/share-token-loop.test.ts.
