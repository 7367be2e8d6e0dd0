import { newRouter } from "../../lib/router";
import { acceptInviteRoute } from "./accept";
import { createInviteRoute } from "./create";
import { listInvitesRoute } from "./list";
import { lookupInviteRoute } from "./lookup";
import { revokeInviteRoute } from "./revoke";

export const invitesRouter = newRouter();
invitesRouter.route("/", lookupInviteRoute);
invitesRouter.route("/", acceptInviteRoute);
invitesRouter.route("/", listInvitesRoute);
invitesRouter.route("/", createInviteRoute);
invitesRouter.route("/", revokeInviteRoute);
