import { newRouter } from "../../../lib/router";

// MLflow run search: /api/2.0/mlflow/runs/search
export const mlflowSearchRouter = newRouter();
