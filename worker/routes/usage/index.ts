import { newRouter } from "../../lib/router";
import { getUsageRoute } from "./get";

export const usageRouter = newRouter();
usageRouter.route("/", getUsageRoute);
