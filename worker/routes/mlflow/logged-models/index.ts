import { newRouter } from "../../../lib/router";

// MLflow 3 logged models: /api/2.0/mlflow/logged-models*
export const mlflowLoggedModelsRouter = newRouter();
