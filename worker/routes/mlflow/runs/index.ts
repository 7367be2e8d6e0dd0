import { newRouter } from "../../../lib/router";
import { createRunRoute } from "./create";
import { deleteRunRoute } from "./delete";
import { deleteTagRoute } from "./delete-tag";
import { getRoute } from "./get";
import { logBatchRoute } from "./log-batch";
import { logInputsRoute } from "./log-inputs";
import { logMetricRoute } from "./log-metric";
import { logParamRoute } from "./log-parameter";
import { restoreRunRoute } from "./restore";
import { setTagRoute } from "./set-tag";
import { updateRunRoute } from "./update";

// MLflow runs: create, get, update, delete, restore, log-*, set/delete-tag (/api/2.0/mlflow/runs/*)
export const mlflowRunsRouter = newRouter();
mlflowRunsRouter.route("/", createRunRoute);
mlflowRunsRouter.route("/", getRoute);
mlflowRunsRouter.route("/", updateRunRoute);
mlflowRunsRouter.route("/", deleteRunRoute);
mlflowRunsRouter.route("/", restoreRunRoute);
mlflowRunsRouter.route("/", logMetricRoute);
mlflowRunsRouter.route("/", logParamRoute);
mlflowRunsRouter.route("/", setTagRoute);
mlflowRunsRouter.route("/", deleteTagRoute);
mlflowRunsRouter.route("/", logBatchRoute);
mlflowRunsRouter.route("/", logInputsRoute);
