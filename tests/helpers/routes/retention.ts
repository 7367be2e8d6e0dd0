import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (retention) for the shared security loop.
export const retentionRoutes: RouteCase[] = [];

export const retentionArea: Area = { routes: retentionRoutes };
