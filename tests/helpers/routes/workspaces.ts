import type { Area, RouteCase } from "../route-table";

// Routes of issue 13 (saved chart workspaces) for the shared security loop.
export const workspacesRoutes: RouteCase[] = [];

export const workspacesArea: Area = { routes: workspacesRoutes };
