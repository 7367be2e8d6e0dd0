import { newRouter } from "../../../lib/router";

// MLflow runs: create, get, update, delete, restore, log-*, set/delete-tag (/api/2.0/mlflow/runs/*)
export const mlflowRunsRouter = newRouter();
