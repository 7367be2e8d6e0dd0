import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { storageUsage } from "../../services/artifacts/objects";

const route = createRoute({
  method: "get",
  path: "/storage/usage",
  summary: "The team's artifact storage: bytes stored, each unique object counted once",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(z.object({ bytes: z.number(), objects: z.number() })), ...authErrors },
});

export const storageUsageRoute = newRouter().openapi(route, async (c) => {
  return c.json(await storageUsage(c.get("db"), c.get("principal").teamId), 200);
});
