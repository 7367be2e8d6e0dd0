import { newRouter } from "../../lib/router";
import { mlflowArtifactListRouter } from "./artifacts";
import { mlflowExperimentsRouter } from "./experiments";
import { mlflowLoggedModelsRouter } from "./logged-models";
import { mlflowMetricsRouter } from "./metrics";
import { mlflowRegistryRouter } from "./registry";
import { mlflowRunsRouter } from "./runs";
import { mlflowSearchRouter } from "./search";

// MLflow's REST API (mlflow/protos/service.proto, model_registry.proto),
// mounted at /api/2.0/mlflow: thin translations onto the services the native
// routes call (docs/adr/0010-mlflow-rest-api.md). Errors leave in MLflow's
// format (app.ts, lib/errors.ts).
export const mlflowRouter = newRouter();
mlflowRouter.route("/", mlflowExperimentsRouter);
mlflowRouter.route("/", mlflowSearchRouter);
mlflowRouter.route("/", mlflowRunsRouter);
mlflowRouter.route("/", mlflowMetricsRouter);
mlflowRouter.route("/", mlflowArtifactListRouter);
mlflowRouter.route("/", mlflowRegistryRouter);
mlflowRouter.route("/", mlflowLoggedModelsRouter);
