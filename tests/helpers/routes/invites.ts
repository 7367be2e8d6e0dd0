import type { Area, RouteCase } from "../route-table";

// Routes of issue 11 (invites) for the shared security loop.
export const invitesRoutes: RouteCase[] = [];

export const invitesArea: Area = { routes: invitesRoutes };
