import { newRouter } from "../../lib/router";
import { deleteArtifactRoute } from "./delete";
import { downloadArtifactRoute } from "./download";
import { listArtifactsRoute } from "./list";
import { abortMultipartRoute } from "./mpu-abort";
import { completeMultipartRoute } from "./mpu-complete";
import { createMultipartRoute } from "./mpu-create";
import { uploadArtifactRoute } from "./upload";

// MLflow's proxied artifact service: /api/2.0/mlflow-artifacts/*. Paths are
// <experiment>/<run>/artifacts/... (a run's files) or
// <experiment>/models/<model>/artifacts/... (a logged model's files); the
// bytes live content-addressed in the object store (services/artifacts).
export const mlflowArtifactsRouter = newRouter();
mlflowArtifactsRouter.route("/", listArtifactsRoute);
mlflowArtifactsRouter.route("/", uploadArtifactRoute);
mlflowArtifactsRouter.route("/", downloadArtifactRoute);
mlflowArtifactsRouter.route("/", deleteArtifactRoute);
mlflowArtifactsRouter.route("/", createMultipartRoute);
mlflowArtifactsRouter.route("/", completeMultipartRoute);
mlflowArtifactsRouter.route("/", abortMultipartRoute);
