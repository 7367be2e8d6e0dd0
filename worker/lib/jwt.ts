import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import type { Role } from "../../schema";
import { ApiError } from "./errors";
import { scopes as allScopes, type Scope } from "./principal";

const ISSUER = "sightline";
const AUDIENCE = "sightline-api";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

type SigningKey = { kid: string; secret: string };
export type TokenKind = "access" | "session";

export type TokenClaims = {
  kind: TokenKind;
  userId: string;
  teamId: string;
  scopes: Scope[];
  role?: Role;
  // Access tokens: the API key they were minted from, so revoking it ends them.
  keyId?: string;
  // Sessions: the log-in (a `sessions` row) they belong to, so log-out ends them.
  sessionId?: string;
  // Seconds since the epoch; set by verifyToken.
  expiresAt?: number;
};

const encoder = new TextEncoder();

// `expires` is a lifetime in seconds, or an absolute Date (a session re-issued
// for another team keeps the expiry of its log-in).
export async function signToken(keys: SigningKey[], claims: TokenClaims, expires: number | Date): Promise<string> {
  const key = keys[0]!;
  return new SignJWT({
    typ: claims.kind,
    team: claims.teamId,
    scopes: claims.scopes,
    ...(claims.role ? { role: claims.role } : {}),
    ...(claims.keyId ? { key: claims.keyId } : {}),
    ...(claims.sessionId ? { sid: claims.sessionId } : {}),
  })
    .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(typeof expires === "number" ? `${expires}s` : Math.floor(expires.getTime() / 1000))
    .sign(encoder.encode(key.secret));
}

// Verifies with the key the token names, so rotation never breaks live tokens;
// only HS256 is accepted, which also refuses `alg: none`.
export async function verifyToken(keys: SigningKey[], token: string, kind: TokenKind): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = keys.find((k) => k.kid === header.kid);
        if (!key) throw new ApiError("unauthenticated", "token signed with an unknown key");
        return encoder.encode(key.secret);
      },
      { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ["exp", "sub"] },
    );
    if (payload.typ !== kind) throw new ApiError("unauthenticated", `expected a ${kind} token`);
    const tokenScopes = Array.isArray(payload.scopes) ? payload.scopes : [];
    if (typeof payload.team !== "string" || !tokenScopes.every((s) => allScopes.includes(s as Scope))) {
      throw new ApiError("unauthenticated", "token claims are malformed");
    }
    return {
      kind,
      userId: payload.sub!,
      teamId: payload.team,
      scopes: tokenScopes as Scope[],
      role: payload.role as Role | undefined,
      keyId: typeof payload.key === "string" ? payload.key : undefined,
      sessionId: typeof payload.sid === "string" ? payload.sid : undefined,
      expiresAt: payload.exp,
    };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new ApiError("unauthenticated", "token expired");
    throw new ApiError("unauthenticated", "token is invalid");
  }
}
