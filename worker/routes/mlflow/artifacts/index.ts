import { newRouter } from "../../../lib/router";

// MLflow artifacts/list: /api/2.0/mlflow/artifacts/list
export const mlflowArtifactListRouter = newRouter();
