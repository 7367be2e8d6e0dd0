import { newRouter } from "../../../lib/router";
import { createModelVersionRoute } from "./model-versions/create";
import { deleteModelVersionRoute } from "./model-versions/delete";
import { deleteModelVersionTagRoute } from "./model-versions/delete-tag";
import { getModelVersionRoute } from "./model-versions/get";
import { getModelVersionDownloadUriRoute } from "./model-versions/get-download-uri";
import { searchModelVersionsRoute } from "./model-versions/search";
import { setModelVersionTagRoute } from "./model-versions/set-tag";
import { transitionStageRoute } from "./model-versions/transition-stage";
import { updateModelVersionRoute } from "./model-versions/update";
import { createRegisteredModelRoute } from "./registered-models/create";
import { deleteRegisteredModelRoute } from "./registered-models/delete";
import { deleteRegisteredModelAliasRoute } from "./registered-models/delete-alias";
import { deleteRegisteredModelTagRoute } from "./registered-models/delete-tag";
import { getRegisteredModelRoute } from "./registered-models/get";
import { getModelVersionByAliasRoute } from "./registered-models/get-by-alias";
import { getLatestVersionsRoute } from "./registered-models/get-latest-versions";
import { renameRegisteredModelRoute } from "./registered-models/rename";
import { searchRegisteredModelsRoute } from "./registered-models/search";
import { setRegisteredModelAliasRoute } from "./registered-models/set-alias";
import { setRegisteredModelTagRoute } from "./registered-models/set-tag";
import { updateRegisteredModelRoute } from "./registered-models/update";

// MLflow model registry: /api/2.0/mlflow/registered-models/*, /model-versions/*
// (model_registry.proto). Models are found by name within the caller's team.
export const mlflowRegistryRouter = newRouter();
for (const r of [
  createRegisteredModelRoute,
  getRegisteredModelRoute,
  searchRegisteredModelsRoute,
  updateRegisteredModelRoute,
  renameRegisteredModelRoute,
  deleteRegisteredModelRoute,
  setRegisteredModelTagRoute,
  deleteRegisteredModelTagRoute,
  setRegisteredModelAliasRoute,
  deleteRegisteredModelAliasRoute,
  getModelVersionByAliasRoute,
  getLatestVersionsRoute,
  createModelVersionRoute,
  getModelVersionRoute,
  searchModelVersionsRoute,
  updateModelVersionRoute,
  deleteModelVersionRoute,
  transitionStageRoute,
  getModelVersionDownloadUriRoute,
  setModelVersionTagRoute,
  deleteModelVersionTagRoute,
]) {
  mlflowRegistryRouter.route("/", r);
}
