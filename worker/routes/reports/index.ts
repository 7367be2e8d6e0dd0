import { newRouter } from "../../lib/router";
import { createReportRoute } from "./create";
import { deleteReportRoute } from "./delete";
import { getReportRoute } from "./get";
import { listReportsRoute } from "./list";
import { restoreVersionRoute } from "./restore";
import { updateReportRoute } from "./update";
import { versionsRoute } from "./versions";

// Mounted at /api/v1. Routes guard themselves with createRoute({ middleware: guard(scope) }).
export const reportsRouter = newRouter();
reportsRouter.route("/", listReportsRoute);
reportsRouter.route("/", createReportRoute);
reportsRouter.route("/", getReportRoute);
reportsRouter.route("/", updateReportRoute);
reportsRouter.route("/", deleteReportRoute);
reportsRouter.route("/", versionsRoute);
reportsRouter.route("/", restoreVersionRoute);
