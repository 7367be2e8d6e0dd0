import type { Area, RouteCase } from "../route-table";
import { fixtureRun } from "./runs";

export const logRoutes: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/runs/{run}/logs",
    scope: "write",
    owned: true,
    params: (f) => ({ run: f.logRunId }),
    body: () => ({ seq: 0, lines: [{ text: "hello" }] }),
  },
  { method: "GET", path: "/api/v1/runs/{run}/logs", scope: "read", owned: true, params: (f) => ({ run: f.logRunId }) },
];

// A run of its own, so this area does not depend on the order of the areas.
export const logsArea: Area = { routes: logRoutes, fixture: async (f) => ({ logRunId: await fixtureRun(f) }) };
