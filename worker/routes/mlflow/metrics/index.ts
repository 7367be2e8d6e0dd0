import { newRouter } from "../../../lib/router";
import { getHistoryRoute } from "./get-history";
import { getHistoryBulkIntervalRoute } from "./get-history-bulk-interval";

// MLflow metric history: /api/2.0/mlflow/metrics/*
export const mlflowMetricsRouter = newRouter();
mlflowMetricsRouter.route("/", getHistoryRoute);
mlflowMetricsRouter.route("/", getHistoryBulkIntervalRoute);
