import type { Area, RouteCase } from "../route-table";

// MLflow routes (search) for the security loop. Their resources are named in the
// body (POST) or query string (GET), so "owned" rows give body/query from the fixture.
export const mlflowSearchRoutes: RouteCase[] = [];

export const mlflowSearchArea: Area = { routes: mlflowSearchRoutes };
