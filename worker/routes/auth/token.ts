import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { ACCESS_TOKEN_TTL_SECONDS, signToken } from "../../lib/jwt";
import { authErrors, jsonContent } from "../../lib/openapi";
import { bearerSecurity, newRouter } from "../../lib/router";
import { authenticate } from "../../middleware/auth";
import { tokenResponse } from "./schema";

const route = createRoute({
  method: "post",
  path: "/auth/token",
  summary: "Exchange an API key for a short-lived access token (ends with its key: revoked, expired, or its user removed)",
  security: bearerSecurity,
  middleware: [authenticate],
  responses: { 200: jsonContent(tokenResponse), ...authErrors },
});

export const tokenRoute = newRouter().openapi(route, async (c) => {
  const p = c.get("principal");
  if (p.via !== "api_key") throw new ApiError("invalid_argument", "send an API key (Bearer sl_...) to get an access token");
  const token = await signToken(
    c.get("config").JWT_KEYS,
    { kind: "access", userId: p.userId, teamId: p.teamId, scopes: p.scopes, role: p.role, keyId: p.keyId },
    ACCESS_TOKEN_TTL_SECONDS,
  );
  return c.json({ access_token: token, token_type: "Bearer" as const, expires_in: ACCESS_TOKEN_TTL_SECONDS }, 200);
});
