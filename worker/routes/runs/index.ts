import { newRouter } from "../../lib/router";
import { bulkRunsRoute } from "./bulk";
import { createRunRoute } from "./create";
import { runDatasetsRoute } from "./datasets";
import { deleteRunRoute } from "./delete";
import { finishRunRoute } from "./finish";
import { getRunRoute } from "./get";
import { heartbeatRunRoute } from "./heartbeat";
import { listRunsRoute } from "./list";
import { restoreRunRoute } from "./restore";
import { updateRunRoute } from "./update";

// Mounted at /api/v1. Routes guard themselves with createRoute({ middleware: guard(scope) }).
export const runsRouter = newRouter();
runsRouter.route("/", listRunsRoute);
runsRouter.route("/", createRunRoute);
runsRouter.route("/", bulkRunsRoute);
runsRouter.route("/", getRunRoute);
runsRouter.route("/", updateRunRoute);
runsRouter.route("/", heartbeatRunRoute);
runsRouter.route("/", finishRunRoute);
runsRouter.route("/", deleteRunRoute);
runsRouter.route("/", restoreRunRoute);
runsRouter.route("/", runDatasetsRoute);
