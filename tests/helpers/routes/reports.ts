import { api } from "../api";
import type { Area, Fixture, RouteCase } from "../route-table";
import { fixtureRun } from "./runs";

// Routes of issue 12 (reports) for the shared security loop.
const report = (f: Fixture) => ({ report: f.reportId as string });
const blocks = (f: Fixture) => [{ type: "chart", id: "c1", runs: [f.reportRunId], keys: ["loss"] }];

export const reportsRoutes: RouteCase[] = [
  { method: "GET", path: "/api/v1/projects/{project}/reports", scope: "read", owned: true, params: (f) => ({ project: f.projectId }) },
  {
    method: "POST",
    path: "/api/v1/projects/{project}/reports",
    scope: "write",
    owned: true,
    params: (f) => ({ project: f.projectId }),
    body: (f) => ({ title: "t", blocks: blocks(f) }),
  },
  { method: "GET", path: "/api/v1/reports/{report}", scope: "read", owned: true, params: report },
  // base_version 1 may be stale by the time the owner's key gets here: a 409 still proves it reached the route.
  { method: "PUT", path: "/api/v1/reports/{report}", scope: "write", owned: true, params: report, body: (f) => ({ title: "t2", blocks: blocks(f), base_version: 1 }) },
  { method: "GET", path: "/api/v1/reports/{report}/versions", scope: "read", owned: true, params: report },
  { method: "GET", path: "/api/v1/reports/{report}/versions/{version}", scope: "read", owned: true, params: (f) => ({ ...report(f), version: "1" }) },
  {
    method: "POST",
    path: "/api/v1/reports/{report}/versions/{version}/restore",
    scope: "write",
    owned: true,
    params: (f) => ({ ...report(f), version: "1" }),
    body: () => ({ base_version: 1 }),
  },
  { method: "DELETE", path: "/api/v1/reports/{report}", scope: "write", owned: true, params: (f) => ({ report: f.spareReportId as string }) },
];

async function fixtureReport(f: Fixture, runId: string): Promise<string> {
  const res = await api("POST", `/api/v1/projects/${f.projectId}/reports`, {
    creds: f.team.creds,
    json: { title: "Fixture report", blocks: [{ type: "chart", id: "c1", runs: [runId], keys: ["loss"] }] },
  });
  if (res.status !== 201) throw new Error(`fixture: create report ${res.status} ${res.text}`);
  return res.body.report.id as string;
}

// A report with one chart over a fixture run; a second one for DELETE, so the
// other rows keep theirs.
export const reportsArea: Area = {
  routes: reportsRoutes,
  fixture: async (f) => {
    const reportRunId = await fixtureRun(f);
    return { reportRunId, reportId: await fixtureReport(f, reportRunId), spareReportId: await fixtureReport(f, reportRunId) };
  },
};
