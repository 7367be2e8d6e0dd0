import { createRoute } from "@hono/zod-openapi";
import { noContent } from "../../lib/openapi";
import { newRouter } from "../../lib/router";
import { endSession } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/logout",
  summary: "Log out: ends this session (every copy of its cookie) and clears the cookie",
  responses: { 204: noContent },
});

export const logoutRoute = newRouter().openapi(route, async (c) => {
  await endSession(c);
  return c.body(null, 204);
});
