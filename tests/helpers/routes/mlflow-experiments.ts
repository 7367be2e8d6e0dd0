import type { Area, RouteCase } from "../route-table";

// MLflow routes (experiments) for the security loop. Their resources are named in the
// body (POST) or query string (GET), so "owned" rows give body/query from the fixture.
export const mlflowExperimentsRoutes: RouteCase[] = [];

export const mlflowExperimentsArea: Area = { routes: mlflowExperimentsRoutes };
