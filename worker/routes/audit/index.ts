import { newRouter } from "../../lib/router";
import { listAuditRoute } from "./list";

export const auditRouter = newRouter();
auditRouter.route("/", listAuditRoute);
