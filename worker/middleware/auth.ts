import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { hashApiKey, looksLikeApiKey, parseApiKey, sameHash } from "../lib/api-key-format";
import { ApiError } from "../lib/errors";
import { verifyToken } from "../lib/jwt";
import { cacheKey, getCachedKey } from "../lib/key-cache";
import type { Principal, Scope } from "../lib/principal";
import { roleRank } from "../lib/principal";
import { lookupApiKey, touchApiKey } from "../services/api-keys";
import type { Role } from "../../schema";

export const SESSION_COOKIE = "sl_session";

// The one place that decides who is calling and for which team.
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  c.set("principal", await resolvePrincipal(c));
  await next();
});

async function resolvePrincipal(c: Context<AppEnv>): Promise<Principal> {
  const config = c.get("config");
  const header = c.req.header("authorization");
  if (header) {
    const [scheme, value = ""] = splitOnce(header.trim(), " ");
    if (/^bearer$/i.test(scheme)) {
      const token = value.trim();
      if (looksLikeApiKey(token)) return principalFromKey(c, token);
      const claims = await verifyToken(config.JWT_KEYS, token, "access");
      return { ...claims, via: "access_token" };
    }
    if (/^basic$/i.test(scheme)) {
      // MLflow clients send the key as the Basic-auth password (any user name).
      let decoded: string;
      try {
        decoded = atob(value.trim());
      } catch {
        throw new ApiError("unauthenticated", "Authorization: Basic credentials are not valid base64");
      }
      const password = splitOnce(decoded, ":")[1] ?? "";
      return principalFromKey(c, password);
    }
    throw new ApiError("unauthenticated", "Authorization: use Bearer <api key or access token> or Basic");
  }
  const session = getCookie(c, SESSION_COOKIE);
  if (session) {
    const claims = await verifyToken(config.JWT_KEYS, session, "session");
    guardCrossSite(c);
    return { ...claims, via: "session" };
  }
  throw new ApiError("unauthenticated", "credentials required: send an API key as a Bearer token, or log in");
}

async function principalFromKey(c: Context<AppEnv>, key: string): Promise<Principal> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new ApiError("unauthenticated", "API key is malformed");
  const config = c.get("config");
  let entry = getCachedKey(parsed.id);
  if (entry === undefined) {
    const db = c.get("db");
    entry = await lookupApiKey(db, parsed.id);
    cacheKey(parsed.id, entry, config.KEY_CACHE_TTL_SECONDS);
    // last_used_at is refreshed once per cache fill, off the response path.
    if (entry) c.executionCtx.waitUntil(touchApiKey(db, parsed.id).catch(() => undefined));
  }
  if (!entry || !sameHash(entry.secretHash, await hashApiKey(key))) {
    throw new ApiError("unauthenticated", "API key is invalid or revoked");
  }
  if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
    throw new ApiError("unauthenticated", "API key has expired");
  }
  return { teamId: entry.teamId, userId: entry.userId, scopes: entry.scopes, role: entry.role, via: "api_key", keyId: parsed.id };
}

// SameSite=Lax already keeps the cookie off cross-site POSTs; checking Origin on
// cookie-authenticated writes closes the gap for older browsers and subdomains.
function guardCrossSite(c: Context<AppEnv>) {
  if (c.req.method === "GET" || c.req.method === "HEAD") return;
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) {
    throw new ApiError("permission_denied", "cross-site request refused");
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + sep.length)];
}

export function need(scope: Scope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.get("principal").scopes.includes(scope)) {
      throw new ApiError("permission_denied", `this credential lacks the ${scope} scope`);
    }
    await next();
  });
}

export function needRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const have = c.get("principal").role;
    if (!have || roleRank[have] < roleRank[role]) {
      throw new ApiError("permission_denied", `this action needs the ${role} role or higher`);
    }
    await next();
  });
}

// What every authenticated route puts in its createRoute({ middleware }): who is
// calling, then whether the credential may do this. Per route, not per router,
// because routers mounted at /api/v1 would otherwise leak `use("*")` onto siblings.
export const guard = (scope: Scope) => [authenticate, need(scope)];
