import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (audit) for the shared security loop.
export const auditRoutes: RouteCase[] = [];

export const auditArea: Area = { routes: auditRoutes };
