import { createRoute } from "@hono/zod-openapi";
import { authErrors, noContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { forgetKey } from "../../lib/key-cache";
import { revokeApiKey } from "../../services/api-keys";
import { keyParams } from "./schema";
import { audit } from "../../lib/audit-context";

const route = createRoute({
  method: "delete",
  path: "/{key_id}",
  summary: "Revoke an API key (takes effect everywhere within a minute)",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { params: keyParams },
  responses: { 204: noContent, ...authErrors },
});

export const revokeKeyRoute = newRouter().openapi(route, async (c) => {
  const { key_id } = c.req.valid("param");
  const p = c.get("principal");
  const isAdmin = p.role === "admin" || p.role === "owner";
  await revokeApiKey(c.get("db"), p.teamId, key_id, { userId: p.userId, isAdmin });
  await audit(c, { action: "api_key.revoke", resourceType: "api_key", resourceId: key_id });
  forgetKey(key_id);
  return c.body(null, 204);
});
