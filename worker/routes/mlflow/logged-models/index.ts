import { newRouter } from "../../../lib/router";
import { createLoggedModelRoute } from "./create";
import { deleteLoggedModelRoute } from "./delete";
import { deleteLoggedModelTagRoute } from "./delete-tag";
import { finalizeLoggedModelRoute } from "./finalize";
import { getLoggedModelRoute } from "./get";
import { logLoggedModelParamsRoute } from "./log-params";
import { logOutputsRoute } from "./log-outputs";
import { searchLoggedModelsRoute } from "./search";
import { setLoggedModelTagsRoute } from "./set-tags";

// MLflow 3 logged models: /api/2.0/mlflow/logged-models* (service.proto), and
// /runs/outputs, by which log_model links a run to the model it made.
// search is registered before the {model_id} routes it would otherwise match.
export const mlflowLoggedModelsRouter = newRouter();
for (const r of [
  searchLoggedModelsRoute,
  createLoggedModelRoute,
  getLoggedModelRoute,
  finalizeLoggedModelRoute,
  deleteLoggedModelRoute,
  logLoggedModelParamsRoute,
  setLoggedModelTagsRoute,
  deleteLoggedModelTagRoute,
  logOutputsRoute,
]) {
  mlflowLoggedModelsRouter.route("/", r);
}
