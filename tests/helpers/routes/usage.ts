import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (usage) for the shared security loop. The usage route
// names no resource; tests/usage.test.ts proves each team sees only its own.
export const usageRoutes: RouteCase[] = [{ method: "GET", path: "/api/v1/usage", scope: "read" }];

export const usageArea: Area = { routes: usageRoutes };
