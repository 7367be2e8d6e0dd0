import type { Area, RouteCase } from "../route-table";

// Routes of issue 13 (saved chart workspaces) for the shared security loop.
export const workspacesRoutes: RouteCase[] = [
  { method: "GET", path: "/api/v1/projects/{project}/workspace", scope: "read", owned: true, params: (f) => ({ project: f.projectId }) },
  { method: "PUT", path: "/api/v1/projects/{project}/workspace", scope: "read", owned: true, params: (f) => ({ project: f.projectId }), body: () => ({ settings: { smoothing: 0.5 } }) },
];

export const workspacesArea: Area = { routes: workspacesRoutes };
