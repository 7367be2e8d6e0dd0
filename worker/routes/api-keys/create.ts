import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { authErrors, jsonBody, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { guard } from "../../middleware/auth";
import { createApiKey } from "../../services/api-keys";
import { apiKeySchema } from "../auth/schema";
import { apiKeyJson } from "../auth/serialize";
import { createKeyBody } from "./schema";
import { audit } from "../../lib/audit-context";

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Create an API key; its secret is in this response only",
  security: bearerSecurity,
  middleware: guard("write"),
  request: { body: jsonBody(createKeyBody) },
  responses: {
    201: jsonContent(z.object({ api_key: apiKeySchema, key: z.string() }), "Created; store the key now"),
    ...authErrors,
  },
});

export const createKeyRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  const body = c.req.valid("json");
  // A key may not mint keys wider than itself, nor outlive a role it no longer has.
  const wider = body.scopes.filter((s) => !p.scopes.includes(s));
  if (wider.length) throw new ApiError("permission_denied", `scopes: this credential cannot grant ${wider.join(", ")}`);
  const expiresAt = body.expires_at
    ? new Date(body.expires_at)
    : body.expires_in_days
      ? new Date(Date.now() + body.expires_in_days * 86_400_000)
      : undefined;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new ApiError("invalid_argument", "expires_at: must be in the future");
  const created = await createApiKey(c.get("db"), p.teamId, p.userId, p.role ?? "viewer", { label: body.label, scopes: body.scopes, expiresAt });
  await audit(c, { action: "api_key.create", resourceType: "api_key", resourceId: created.id, details: { label: created.label, scopes: created.scopes } });
  return c.json({ api_key: apiKeyJson(created), key: created.key }, 201);
});
