import { newRouter } from "../../../lib/router";
import { listRunArtifactsRoute } from "./list";

// MLflow artifacts/list: /api/2.0/mlflow/artifacts/list
export const mlflowArtifactListRouter = newRouter();
mlflowArtifactListRouter.route("/", listRunArtifactsRoute);
