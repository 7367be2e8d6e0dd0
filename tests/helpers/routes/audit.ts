import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (audit) for the shared security loop. The audit log names
// no resource in its path; tests/audit.test.ts proves another team reads none
// of ours, and that members and viewers are refused.
export const auditRoutes: RouteCase[] = [
  { method: "GET", path: "/api/v1/audit", scope: "admin", query: () => ({ limit: "5", action: "api_key.*" }) },
];

export const auditArea: Area = { routes: auditRoutes };
