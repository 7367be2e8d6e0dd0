import { newRouter } from "../../lib/router";
import { previewRetentionRoute } from "./preview";

export const retentionRouter = newRouter();
retentionRouter.route("/", previewRetentionRoute);
