import { newRouter } from "../../lib/router";
import { loginRoute } from "./login";
import { logoutRoute } from "./logout";
import { meRoute } from "./me";
import { signupRoute } from "./signup";
import { switchTeamRoute } from "./switch-team";
import { tokenRoute } from "./token";

export const authRouter = newRouter();
authRouter.route("/", signupRoute);
authRouter.route("/", loginRoute);
authRouter.route("/", logoutRoute);
authRouter.route("/", tokenRoute);
authRouter.route("/", meRoute);
authRouter.route("/", switchTeamRoute);
