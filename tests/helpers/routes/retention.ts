import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (retention) for the shared security loop. PATCH of a
// run's pinned and a project's retention_days ride on routes already listed.
export const retentionRoutes: RouteCase[] = [
  { method: "GET", path: "/api/v1/retention/preview", scope: "read", owned: true, query: (f) => ({ project: f.projectId, within_days: "7" }) },
];

export const retentionArea: Area = { routes: retentionRoutes };
