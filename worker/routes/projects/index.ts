import { newRouter } from "../../lib/router";
import { createProjectRoute } from "./create";
import { deleteProjectRoute } from "./delete";
import { getProjectRoute } from "./get";
import { listProjectsRoute } from "./list";
import { updateProjectRoute } from "./update";

export const projectsRouter = newRouter();
projectsRouter.route("/", listProjectsRoute);
projectsRouter.route("/", createProjectRoute);
projectsRouter.route("/", getProjectRoute);
projectsRouter.route("/", updateProjectRoute);
projectsRouter.route("/", deleteProjectRoute);
