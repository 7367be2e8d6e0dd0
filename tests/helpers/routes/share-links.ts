import type { Area, RouteCase } from "../route-table";

// Routes of issue 12 (share-links) for the shared security loop.
export const shareLinksRoutes: RouteCase[] = [];

export const shareLinksArea: Area = { routes: shareLinksRoutes };
