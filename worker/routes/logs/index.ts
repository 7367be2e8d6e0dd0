import { newRouter } from "../../lib/router";

// Mounted at /api/v1. Routes guard themselves with createRoute({ middleware: guard(scope) }).
export const logsRouter = newRouter();
