import { newRouter } from "../../lib/router";
import { createShareLinkRoute } from "./create";
import { listShareLinksRoute } from "./list";
import { revokeShareLinkRoute } from "./revoke";

// Mounted at /api/v1: links live under their report, and revoke by link id.
export const shareLinksRouter = newRouter();
shareLinksRouter.route("/", createShareLinkRoute);
shareLinksRouter.route("/", listShareLinksRoute);
shareLinksRouter.route("/", revokeShareLinkRoute);
