import type { Area, RouteCase } from "../route-table";

// MLflow routes (artifacts) for the security loop. Their resources are named in the
// body (POST) or query string (GET), so "owned" rows give body/query from the fixture.
export const mlflowArtifactRoutes: RouteCase[] = [];

export const mlflowArtifactArea: Area = { routes: mlflowArtifactRoutes };
