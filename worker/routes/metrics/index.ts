import { newRouter } from "../../lib/router";
import { bucketsRoute } from "./buckets";
import { exportRoute } from "./export";
import { ingestRoute } from "./ingest";
import { listRoute } from "./list";
import { pointsRoute } from "./points";

// Mounted at /api/v1. Routes guard themselves with createRoute({ middleware: guard(scope) }).
export const metricsRouter = newRouter();
metricsRouter.route("/", ingestRoute);
metricsRouter.route("/", listRoute);
metricsRouter.route("/", pointsRoute);
metricsRouter.route("/", bucketsRoute);
metricsRouter.route("/", exportRoute);
