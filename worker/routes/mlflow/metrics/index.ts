import { newRouter } from "../../../lib/router";

// MLflow metric history: /api/2.0/mlflow/metrics/*
export const mlflowMetricsRouter = newRouter();
