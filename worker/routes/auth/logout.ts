import { createRoute } from "@hono/zod-openapi";
import { noContent } from "../../lib/openapi";
import { newRouter } from "../../lib/router";
import { endSession } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/logout",
  summary: "Log out (clears the session cookie)",
  responses: { 204: noContent },
});

export const logoutRoute = newRouter().openapi(route, (c) => {
  endSession(c);
  return c.body(null, 204);
});
