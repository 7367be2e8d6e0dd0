import { SignJWT } from "jose";
import { stack } from "./api";

const enc = new TextEncoder();
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

function signingKey() {
  const first = stack().jwtKeys.trim().split(/\s+/)[0]!;
  const at = first.indexOf(":");
  return { kid: first.slice(0, at), secret: first.slice(at + 1) };
}

const baseClaims = (teamId: string, userId: string) => ({
  typ: "access",
  team: teamId,
  scopes: ["read", "write", "admin"],
  role: "owner",
  sub: userId,
  iss: "sightline",
  aud: "sightline-api",
});

// Tokens an attacker might present: each must be refused with 401.
export async function forgedTokens(teamId: string, userId: string, validToken: string) {
  const { kid, secret } = signingKey();
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ ...baseClaims(teamId, userId) })
    .setProtectedHeader({ alg: "HS256", kid })
    .setIssuedAt(now - 3600)
    .setExpirationTime(now - 60)
    .sign(enc.encode(secret));
  const wrongKey = await new SignJWT({ ...baseClaims(teamId, userId) })
    .setProtectedHeader({ alg: "HS256", kid })
    .setExpirationTime("10m")
    .sign(enc.encode("x".repeat(48)));
  const unknownKid = await new SignJWT({ ...baseClaims(teamId, userId) })
    .setProtectedHeader({ alg: "HS256", kid: "nope" })
    .setExpirationTime("10m")
    .sign(enc.encode(secret));
  const algNone = `${b64url({ alg: "none", typ: "JWT", kid })}.${b64url({ ...baseClaims(teamId, userId), exp: now + 600 })}.`;
  const [h, p, s] = validToken.split(".");
  const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
  const tampered = `${h}.${b64url({ ...payload, scopes: ["read", "write", "admin"], team: teamId })}.${s}`;
  const sessionAsAccess = await new SignJWT({ ...baseClaims(teamId, userId), typ: "session" })
    .setProtectedHeader({ alg: "HS256", kid })
    .setExpirationTime("10m")
    .sign(enc.encode(secret));
  return { expired, wrongKey, unknownKid, algNone, tampered, sessionAsAccess, garbage: "not.a.jwt" };
}

export async function signWithTestKey(claims: Record<string, unknown>, expiresIn = "10m") {
  const { kid, secret } = signingKey();
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid }).setExpirationTime(expiresIn).sign(enc.encode(secret));
}
