import { newRouter } from "../../../lib/router";
import { createExperimentRoute } from "./create";
import { deleteExperimentRoute } from "./delete";
import { deleteExperimentTagRoute } from "./delete-tag";
import { getExperimentRoute } from "./get";
import { getExperimentByNameRoute } from "./get-by-name";
import { restoreExperimentRoute } from "./restore";
import { searchExperimentsRoute } from "./search";
import { setExperimentTagRoute } from "./set-tag";
import { updateExperimentRoute } from "./update";

// MLflow experiments (= projects): /api/2.0/mlflow/experiments/*
export const mlflowExperimentsRouter = newRouter();
mlflowExperimentsRouter.route("/", createExperimentRoute);
mlflowExperimentsRouter.route("/", getExperimentRoute);
mlflowExperimentsRouter.route("/", getExperimentByNameRoute);
mlflowExperimentsRouter.route("/", searchExperimentsRoute);
mlflowExperimentsRouter.route("/", updateExperimentRoute);
mlflowExperimentsRouter.route("/", deleteExperimentRoute);
mlflowExperimentsRouter.route("/", restoreExperimentRoute);
mlflowExperimentsRouter.route("/", setExperimentTagRoute);
mlflowExperimentsRouter.route("/", deleteExperimentTagRoute);
