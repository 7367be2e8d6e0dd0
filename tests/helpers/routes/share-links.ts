import { api } from "../api";
import { sql } from "../db";
import type { Area, Fixture, RouteCase } from "../route-table";

// Routes of issue 12 (share links) for the shared security loop.
const report = (f: Fixture) => ({ report: f.shareReportId as string });

export const shareLinksRoutes: RouteCase[] = [
  { method: "POST", path: "/api/v1/reports/{report}/share-links", scope: "write", owned: true, params: report, body: () => ({ expires_in_days: 7 }) },
  { method: "GET", path: "/api/v1/reports/{report}/share-links", scope: "read", owned: true, params: report },
  // Revoking twice is a 204 both times, so the owner's check after the loop still reaches it.
  { method: "DELETE", path: "/api/v1/share-links/{link}", scope: "write", owned: true, params: (f) => ({ link: f.shareLinkId as string }) },
];

// A report written by SQL (independent of the reports routes), naming the
// metric fixture's run, and one live link to it.
export async function sqlReport(teamId: string, userId: string, projectId: string, blocks: unknown[], id = `rpt_${Math.random().toString(36).slice(2, 14)}`) {
  await sql(
    "insert into reports (team_id, id, project_id, title, blocks, created_by, updated_by) values ($1, $2, $3, 'Shared', $4::jsonb, $5, $5)",
    [teamId, id, projectId, JSON.stringify(blocks), userId],
  );
  await sql("insert into report_versions (team_id, report_id, version, title, blocks, saved_by) values ($1, $2, 1, 'Shared', $3::jsonb, $4)", [
    teamId,
    id,
    JSON.stringify(blocks),
    userId,
  ]);
  return id;
}

export const shareLinksArea: Area = {
  routes: shareLinksRoutes,
  fixture: async (f) => {
    const runs = [f.runId, f.metricRunId].filter((r): r is string => typeof r === "string");
    const blocks: unknown[] = [{ type: "chart", id: "c1", runs, keys: ["loss"] }];
    // The artifacts fixture's version, so the link's artifact read has its own data.
    if (typeof f.artifactName === "string") blocks.push({ type: "artifact", id: "a1", artifact: `${f.artifactName}:v1` });
    const shareReportId = await sqlReport(f.team.id, f.team.userId, f.projectId, blocks);
    const res = await api("POST", `/api/v1/reports/${shareReportId}/share-links`, { creds: f.team.creds, json: {} });
    if (res.status !== 201) throw new Error(`fixture: create share link ${res.status} ${res.text}`);
    return { shareReportId, shareLinkId: res.body.link.id as string, shareToken: res.body.token as string };
  },
};
