import type { Area, RouteCase } from "../route-table";

// Routes of issue 12 (reports) for the shared security loop.
export const reportsRoutes: RouteCase[] = [];

export const reportsArea: Area = { routes: reportsRoutes };
