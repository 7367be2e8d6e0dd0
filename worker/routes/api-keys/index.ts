import { newRouter } from "../../lib/router";
import { authenticate } from "../../middleware/auth";
import { createKeyRoute } from "./create";
import { listKeysRoute } from "./list";
import { revokeKeyRoute } from "./revoke";

export const apiKeysRouter = newRouter();
apiKeysRouter.use("*", authenticate);
apiKeysRouter.route("/", listKeysRoute);
apiKeysRouter.route("/", createKeyRoute);
apiKeysRouter.route("/", revokeKeyRoute);
