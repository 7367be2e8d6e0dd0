import { newRouter } from "../../lib/router";
import { appendLogsRoute } from "./append";
import { readLogsRoute } from "./read";

// Mounted at /api/v1. Routes guard themselves with createRoute({ middleware: guard(scope) }).
export const logsRouter = newRouter();
logsRouter.route("/", appendLogsRoute);
logsRouter.route("/", readLogsRoute);
