import { newRouter } from "../../lib/router";
import { getWorkspaceRoute } from "./get";
import { putWorkspaceRoute } from "./put";

// Mounted at /api/v1: a member's saved chart workspace per project
// (GET/PUT /projects/{project}/workspace). Issue 13.
export const workspacesRouter = newRouter();
workspacesRouter.route("/", getWorkspaceRoute);
workspacesRouter.route("/", putWorkspaceRoute);
