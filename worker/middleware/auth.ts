import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { hashApiKey, looksLikeApiKey, parseApiKey, sameHash } from "../lib/api-key-format";
import { ApiError } from "../lib/errors";
import { verifyToken, type TokenClaims } from "../lib/jwt";
import { keyCache, sessionCache, sessionCacheKey, shareCache, type CachedKey, type CachedShare } from "../lib/key-cache";
import type { Principal, Scope } from "../lib/principal";
import { roleRank, roleScopes } from "../lib/principal";
import { lookupApiKey, touchApiKey } from "../services/api-keys";
import { lookupSession } from "../services/sessions";
import { looksLikeShareToken, parseShareToken } from "../lib/share-access";
import { lookupShareLink, touchShareLink } from "../services/share-links";
import { checkApiRate } from "../services/team-rates";
import type { Role } from "../../schema";

export const SESSION_COOKIE = "sl_session";

// The one place that decides who is calling and for which team. A share-link
// principal reaches only routes that opt in (guardShare); everywhere else it
// is a 404, not a 403, so a link learns nothing about what exists.
const authenticateAs = (allowShare: boolean) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = await resolvePrincipal(c);
    if (principal.via === "share_link" && !allowShare) {
      throw new ApiError("not_found", `not found: a share link reads only its report, at ${c.req.path}`);
    }
    c.set("principal", principal);
    // The team's API request rate (docs/adr/0012): in memory, after the team is
    // known, before any handler work; every door passes here.
    await checkApiRate(c.get("db"), principal.teamId);
    await next();
  });

export const authenticate = authenticateAs(false);

async function resolvePrincipal(c: Context<AppEnv>): Promise<Principal> {
  const config = c.get("config");
  const header = c.req.header("authorization");
  if (header) {
    const [scheme, value = ""] = splitOnce(header.trim(), " ");
    if (/^bearer$/i.test(scheme)) {
      const token = value.trim();
      if (looksLikeShareToken(token)) return principalFromShareLink(c, token);
      if (looksLikeApiKey(token)) return principalFromKey(c, token);
      return principalFromAccessToken(c, await verifyToken(config.JWT_KEYS, token, "access"));
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
    return principalFromSession(c, claims);
  }
  throw new ApiError("unauthenticated", "credentials required: send an API key as a Bearer token, or log in");
}

async function principalFromKey(c: Context<AppEnv>, key: string): Promise<Principal> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new ApiError("unauthenticated", "API key is malformed");
  const entry = await keyState(c, parsed.id);
  if (!entry || !sameHash(entry.secretHash, await hashApiKey(key))) {
    throw new ApiError("unauthenticated", "API key is invalid or revoked");
  }
  if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
    throw new ApiError("unauthenticated", "API key has expired");
  }
  return { teamId: entry.teamId, userId: entry.userId, scopes: entry.scopes, role: entry.role, via: "api_key", keyId: parsed.id };
}

// A signature proves who minted the token, not that its key still stands: the
// key's state (revoked, expired, member removed, role changed) comes from the
// same cache as the key path, so a revocation reaches tokens as fast as keys.
async function principalFromAccessToken(c: Context<AppEnv>, claims: TokenClaims): Promise<Principal> {
  if (!claims.keyId) throw new ApiError("unauthenticated", "access token names no API key; get a new one from POST /api/v1/auth/token");
  const entry = await keyState(c, claims.keyId);
  if (!entry || entry.teamId !== claims.teamId || entry.userId !== claims.userId) {
    throw new ApiError("unauthenticated", "the API key this token was minted from is revoked, or its user left the team");
  }
  if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
    throw new ApiError("unauthenticated", "the API key this token was minted from has expired");
  }
  // entry.scopes already follow the member's current role.
  const scopes = claims.scopes.filter((s) => entry.scopes.includes(s));
  return { teamId: entry.teamId, userId: entry.userId, scopes, role: entry.role, via: "access_token", keyId: claims.keyId };
}

// Sessions take the member's current role, so a promotion or demotion shows up
// within the cache TTL without logging in again; log-out and removal end them.
async function principalFromSession(c: Context<AppEnv>, claims: TokenClaims): Promise<Principal> {
  if (!claims.sessionId || claims.expiresAt === undefined) {
    throw new ApiError("unauthenticated", "this session predates session tracking; log in again");
  }
  const id = sessionCacheKey(claims.sessionId, claims.teamId);
  let state = sessionCache.get(id);
  if (state === undefined) {
    state = await lookupSession(c.get("db"), claims.sessionId, claims.teamId);
    sessionCache.set(id, state, c.get("config").KEY_CACHE_TTL_SECONDS);
  }
  if (!state || state.userId !== claims.userId) {
    throw new ApiError("unauthenticated", "this session has ended (logged out, or no longer a member of this team); log in again");
  }
  return {
    teamId: state.teamId,
    userId: state.userId,
    role: state.role,
    scopes: roleScopes[state.role],
    via: "session",
    session: { id: claims.sessionId, expiresAt: new Date(claims.expiresAt * 1000) },
  };
}

// A share link (the dashboard's share page sends it as a Bearer token): its
// creator's identity in its team, no scopes, and the scope its report grants.
async function principalFromShareLink(c: Context<AppEnv>, token: string): Promise<Principal> {
  const parsed = parseShareToken(token);
  if (!parsed) throw new ApiError("unauthenticated", "share link is malformed");
  const entry = await shareState(c, parsed.id);
  if (!entry || !sameHash(entry.secretHash, await hashApiKey(token))) {
    throw new ApiError("unauthenticated", "share link is invalid or revoked");
  }
  if (entry.expiresAt <= Date.now()) throw new ApiError("unauthenticated", "share link has expired");
  return { teamId: entry.teamId, userId: entry.userId, scopes: [], via: "share_link", share: entry.scope };
}

async function shareState(c: Context<AppEnv>, linkId: string): Promise<CachedShare> {
  const cached = shareCache.get(linkId);
  if (cached !== undefined) return cached;
  const db = c.get("db");
  const entry = await lookupShareLink(db, linkId);
  shareCache.set(linkId, entry, c.get("config").KEY_CACHE_TTL_SECONDS);
  // last_used_at once per cache fill, off the response path (as for keys).
  if (entry) c.executionCtx.waitUntil(touchShareLink(db, linkId).catch(() => undefined));
  return entry;
}

async function keyState(c: Context<AppEnv>, keyId: string): Promise<CachedKey> {
  const cached = keyCache.get(keyId);
  if (cached !== undefined) return cached;
  const db = c.get("db");
  const entry = await lookupApiKey(db, keyId);
  keyCache.set(keyId, entry, c.get("config").KEY_CACHE_TTL_SECONDS);
  // last_used_at is refreshed once per cache fill, off the response path.
  if (entry) c.executionCtx.waitUntil(touchApiKey(db, keyId).catch(() => undefined));
  return entry;
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

// The few read routes a share link may use (its report, its runs, their
// metrics): team credentials need `scope` as usual; a share principal passes
// here and the handler limits it to its ShareScope (worker/lib/share-access.ts).
export const guardShare = (scope: "read") => [
  authenticateAs(true),
  createMiddleware<AppEnv>(async (c, next) => {
    const p = c.get("principal");
    if (p.via !== "share_link" && !p.scopes.includes(scope)) {
      throw new ApiError("permission_denied", `this credential lacks the ${scope} scope`);
    }
    await next();
  }),
];
