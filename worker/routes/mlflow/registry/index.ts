import { newRouter } from "../../../lib/router";

// MLflow model registry: /api/2.0/mlflow/registered-models/*, /model-versions/*
export const mlflowRegistryRouter = newRouter();
