import { createRoute, z } from "@hono/zod-openapi";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { listApiKeys } from "../../services/api-keys";
import { apiKeySchema } from "../auth/schema";
import { apiKeyJson } from "../auth/serialize";

const route = createRoute({
  method: "get",
  path: "/",
  summary: "List the team's API keys (never their secrets)",
  security: bearerSecurity,
  middleware: guard("read"),
  responses: { 200: jsonContent(z.object({ api_keys: z.array(apiKeySchema) })), ...authErrors },
});

export const listKeysRoute = newRouter().openapi(route, async (c) => {
  const keys = await listApiKeys(c.get("db"), c.get("principal").teamId);
  return c.json({ api_keys: keys.map(apiKeyJson) }, 200);
});
