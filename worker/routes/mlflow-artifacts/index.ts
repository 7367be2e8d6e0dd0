import { newRouter } from "../../lib/router";

// MLflow's proxied artifact service: /api/2.0/mlflow-artifacts/*
export const mlflowArtifactsRouter = newRouter();
