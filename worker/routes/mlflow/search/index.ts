import { newRouter } from "../../../lib/router";
import { searchRunsRoute } from "./post";

// MLflow run search: /api/2.0/mlflow/runs/search
export const mlflowSearchRouter = newRouter();
mlflowSearchRouter.route("/", searchRunsRoute);
