import { newRouter } from "../../lib/router";
import { announceVersionRoute } from "./announce";
import { commitVersionRoute } from "./commit";
import { deleteVersionRoute } from "./delete-version";
import { getArtifactRoute } from "./get";
import { getVersionRoute } from "./get-version";
import { listArtifactsRoute } from "./list";
import { removeAliasRoute } from "./remove-alias";
import { announceRunFilesRoute } from "./run-files-announce";
import { commitRunFilesRoute } from "./run-files-commit";
import { listRunFilesRoute } from "./run-files-list";
import { recordInputRoute } from "./run-inputs";
import { runLineageRoute } from "./run-lineage";
import { setAliasRoute } from "./set-alias";
import { storageUsageRoute } from "./usage";

// Mounted at /api/v1. Routes guard themselves with createRoute({ middleware: guard(scope) }).
export const artifactsRouter = newRouter();
for (const r of [
  listArtifactsRoute, getArtifactRoute, announceVersionRoute, commitVersionRoute, getVersionRoute, deleteVersionRoute,
  setAliasRoute, removeAliasRoute, recordInputRoute, runLineageRoute, announceRunFilesRoute, commitRunFilesRoute,
  listRunFilesRoute, storageUsageRoute,
]) {
  artifactsRouter.route("/", r);
}
