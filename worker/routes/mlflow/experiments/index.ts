import { newRouter } from "../../../lib/router";

// MLflow experiments (= projects): /api/2.0/mlflow/experiments/*
export const mlflowExperimentsRouter = newRouter();
