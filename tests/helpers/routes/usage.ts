import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (usage) for the shared security loop.
export const usageRoutes: RouteCase[] = [];

export const usageArea: Area = { routes: usageRoutes };
