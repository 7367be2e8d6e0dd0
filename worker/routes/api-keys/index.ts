import { newRouter } from "../../lib/router";
import { createKeyRoute } from "./create";
import { listKeysRoute } from "./list";
import { revokeKeyRoute } from "./revoke";

export const apiKeysRouter = newRouter();
apiKeysRouter.route("/", listKeysRoute);
apiKeysRouter.route("/", createKeyRoute);
apiKeysRouter.route("/", revokeKeyRoute);
