import { beforeAll, describe, expect, test } from "vitest";
import { api, type Reply } from "./helpers/api";
import { sql } from "./helpers/db";
import { TEST_KEY_CACHE_TTL_SECONDS } from "./helpers/global-setup";
import { expectError, makeProject, makeTeam } from "./helpers/harness";
import { fillPath, makeFixture, routeTable, type Fixture } from "./helpers/route-table";
import { putVersion } from "./helpers/routes/artifacts";
import { ingestOk } from "./metrics-helpers";

// Issue 12's check: every route of the API (the table that tests/security.test.ts
// proves equal to /api/openapi.json) called with a share token. Only the
// opted-in reads of the link's own report answer, and only for its own data;
// everything else is a 404; revoked, expired and tampered tokens are 401.

let fx: Fixture;
let frozenToken: string;
// Ids that are not the link's: same project, another project, another team.
let x: { otherRun: string; otherProject: string; otherProjectRun: string; farRun: string; farProject: string; otherArtifact: string };

// The opted-in routes, each with a request for the link's own data.
const own: Record<string, (f: Fixture) => string> = {
  "GET /api/v1/reports/{report}": (f) => `/api/v1/reports/${f.shareReportId}`,
  "GET /api/v1/runs/{run}": (f) => `/api/v1/runs/${f.metricRunId}`,
  "GET /api/v1/runs/{run}/metrics": (f) => `/api/v1/runs/${f.metricRunId}/metrics`,
  "GET /api/v1/runs/{run}/metrics/points": (f) => `/api/v1/runs/${f.metricRunId}/metrics/points?key=loss`,
  "GET /api/v1/metrics/buckets": (f) => `/api/v1/metrics/buckets?run=${f.metricRunId}&run=${f.runId}&key=loss&buckets=10`,
  "GET /api/v1/projects/{project}/artifacts/{name}/versions/{version}": (f) => `/api/v1/projects/${f.projectId}/artifacts/${f.artifactName}/versions/v1`,
};

// The same routes for what the link must not see: another report, run, key,
// artifact (version), project or team.
const foreign: Record<string, (f: Fixture) => string[]> = {
  "GET /api/v1/reports/{report}": (f) => [`/api/v1/reports/${f.reportId}`, `/api/v1/reports/${f.spareReportId}`, "/api/v1/reports/rpt_nope"],
  "GET /api/v1/runs/{run}": () => [`/api/v1/runs/${x.otherRun}`, `/api/v1/runs/${x.otherProjectRun}`, `/api/v1/runs/${x.farRun}`],
  "GET /api/v1/runs/{run}/metrics": () => [`/api/v1/runs/${x.otherRun}/metrics`, `/api/v1/runs/${x.otherProjectRun}/metrics`, `/api/v1/runs/${x.farRun}/metrics`],
  "GET /api/v1/runs/{run}/metrics/points": (f) => [
    `/api/v1/runs/${f.metricRunId}/metrics/points?key=acc`,
    `/api/v1/runs/${x.otherRun}/metrics/points?key=loss`,
    `/api/v1/runs/${x.otherProjectRun}/metrics/points?key=loss`,
    `/api/v1/runs/${x.farRun}/metrics/points?key=loss`,
  ],
  "GET /api/v1/metrics/buckets": (f) => [
    `/api/v1/metrics/buckets?run=${f.metricRunId}&key=acc`,
    `/api/v1/metrics/buckets?run=${f.metricRunId}&run=${x.otherRun}&key=loss`,
    `/api/v1/metrics/buckets?run=${x.otherProjectRun}&key=loss`,
    `/api/v1/metrics/buckets?run=${x.farRun}&key=loss`,
  ],
  "GET /api/v1/projects/{project}/artifacts/{name}/versions/{version}": (f) => [
    `/api/v1/projects/${f.projectId}/artifacts/${f.artifactName}/versions/v2`,
    `/api/v1/projects/${f.projectId}/artifacts/${f.artifactName}/versions/latest`,
    `/api/v1/projects/${f.projectId}/artifacts/${x.otherArtifact}/versions/v1`,
    `/api/v1/projects/${x.otherProject}/artifacts/${f.artifactName}/versions/v1`,
    `/api/v1/projects/${x.farProject}/artifacts/${f.artifactName}/versions/v1`,
  ],
};

const get = (path: string, token: string) => api("GET", path, { creds: { token } });
const show = (res: Reply) => `${res.status} ${res.text.slice(0, 300)}`;

beforeAll(async () => {
  fx = await makeFixture();
  for (const run of [fx.runId, fx.metricRunId]) await ingestOk(fx.team, run, 1000, { loss: { steps: [0, 1, 2], values: [3, 2, 1] }, acc: { steps: [0], values: [0.5] } });
  const newRun = async (team: typeof fx.team, project: string) => {
    const res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: {} });
    expect(res.status, res.text).toBe(201);
    const id = res.body.run.id as string;
    await ingestOk(team, id, 0, { loss: { steps: [0], values: [1] } });
    return id;
  };
  const otherProject = (await makeProject(fx.team)).id;
  const far = await makeTeam("Far");
  const farProject = (await makeProject(far)).id;
  const otherArtifact = `other-${Date.now()}`;
  // v2 of the report's artifact (now its latest), an artifact the report does not
  // name, and the same name in another project and another team.
  await putVersion(fx.team, fx.projectId, fx.artifactName, { "a.txt": Buffer.from("v2 bytes") });
  await putVersion(fx.team, fx.projectId, otherArtifact, { "a.txt": Buffer.from("other") });
  await putVersion(fx.team, otherProject, fx.artifactName, { "a.txt": Buffer.from("other project") });
  await putVersion(far, farProject, fx.artifactName, { "a.txt": Buffer.from("other team") });
  x = {
    otherRun: await newRun(fx.team, fx.projectId),
    otherProject,
    otherProjectRun: await newRun(fx.team, otherProject),
    farRun: await newRun(far, farProject),
    farProject,
    otherArtifact,
  };
  const frozen = await api("POST", `/api/v1/reports/${fx.shareReportId}/share-links`, { creds: fx.team.creds, json: { frozen: true } });
  expect(frozen.status, frozen.text).toBe(201);
  frozenToken = frozen.body.token;
}, 240_000);

test("the opted-in routes are routes of the table (a renamed route fails here)", () => {
  const names = new Set(routeTable.map((r) => `${r.method} ${r.path}`));
  for (const name of Object.keys(own)) expect(names, name).toContain(name);
  expect(Object.keys(foreign).sort()).toEqual(Object.keys(own).sort());
});

const guarded = routeTable.filter((r) => r.scope !== "public");

describe.each(guarded.map((r) => [`${r.method} ${r.path}`, r] as const))("%s with a live share token", (name, rc) => {
  if (own[name]) {
    test("its own report's data → 200 (live and frozen links); anything else → 404", async () => {
      for (const token of [fx.shareToken as string, frozenToken]) {
        const res = await get(own[name]!(fx), token);
        expect(res.status, show(res)).toBe(200);
        for (const path of foreign[name]!(fx)) {
          const res = await get(path, token);
          expect(res.status, `${path}: ${show(res)}`).toBe(404);
          expectError(res, 404, "not_found");
        }
      }
    });
  } else {
    // A new route that forgets to refuse share tokens fails here.
    test("→ 404", async () => {
      const res = await api(rc.method, fillPath(rc, fx), {
        creds: { token: fx.shareToken },
        json: rc.body?.(fx) ?? (rc.method === "GET" || rc.method === "DELETE" ? undefined : {}),
      });
      expect(res.status, show(res)).toBe(404);
      expectError(res, 404, "not_found");
    });
  }
});

describe("tokens that no longer stand, on every opted-in route", () => {
  const link = async (body: Record<string, unknown> = {}) => {
    const res = await api("POST", `/api/v1/reports/${fx.shareReportId}/share-links`, { creds: fx.team.creds, json: body });
    expect(res.status, res.text).toBe(201);
    return res.body as { link: { id: string }; token: string };
  };
  const everyRoute = async (token: string, want: number) => {
    for (const path of Object.values(own).map((p) => p(fx))) {
      const res = await get(path, token);
      expect(res.status, `${path}: ${show(res)}`).toBe(want);
      if (want === 401) expectError(res, 401, "unauthenticated");
    }
  };
  // Until every opted-in route says 401, or the deadline passes.
  const all401Within = async (token: string, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const codes = await Promise.all(Object.values(own).map(async (p) => (await get(p(fx), token)).status));
      if (codes.every((c) => c === 401)) return;
      if (Date.now() > until) throw new Error(`still answering after ${ms} ms: ${codes.join(",")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  test("tampered (one character of the secret or of the id) → 401", async () => {
    const { token } = await link();
    await everyRoute(token, 200);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
    await everyRoute(flip(token, token.length - 1), 401);
    await everyRoute(flip(token, token.length - 20), 401);
    await everyRoute(flip(token, 6), 401);
    await everyRoute(`${token}x`, 401);
    await everyRoute(token.slice(0, -1), 401);
  });

  test("revoked through the API (a frozen link too) → 401", async () => {
    const made = await link({ frozen: true });
    await everyRoute(made.token, 200);
    expect((await api("DELETE", `/api/v1/share-links/${made.link.id}`, { creds: fx.team.creds })).status).toBe(204);
    await all401Within(made.token, (TEST_KEY_CACHE_TTL_SECONDS + 1.5) * 1000);
  });

  // A revocation that no isolate hears of (as another isolate sees one): its
  // cached principal must lapse within the cache TTL (2 s in tests, ≤ 60 s in
  // production: env.ts caps KEY_CACHE_TTL_SECONDS at 60).
  test("revoked elsewhere, or expired → 401 within the cache TTL", async () => {
    for (const end of [
      (id: string) => sql("update share_links set revoked_at = now() where id = $1", [id]),
      (id: string) => sql("update share_links set expires_at = now() - interval '1 second' where id = $1", [id]),
    ]) {
      const made = await link();
      await everyRoute(made.token, 200); // cached now
      await end(made.link.id);
      await all401Within(made.token, (TEST_KEY_CACHE_TTL_SECONDS + 1.5) * 1000);
    }
  });
});
