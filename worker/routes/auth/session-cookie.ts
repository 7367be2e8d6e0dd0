import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../env";
import { signToken, verifyToken } from "../../lib/jwt";
import { forgetSession } from "../../lib/key-cache";
import { roleScopes } from "../../lib/principal";
import { SESSION_COOKIE } from "../../middleware/auth";
import { createSession, revokeSession } from "../../services/sessions";
import type { Role } from "../../../schema";

type Member = { userId: string; teamId: string; role: Role };

// A log-in makes a new session row; switching team re-signs the same session
// (same id, same expiry) for another team, so one log-out ends it in every team.
export async function startSession(c: Context<AppEnv>, m: Member, existing?: { id: string; expiresAt: Date }) {
  const config = c.get("config");
  const session = existing ?? (await createSession(c.get("db"), m.userId, config.SESSION_TTL_HOURS * 3600));
  const token = await signToken(
    config.JWT_KEYS,
    { kind: "session", userId: m.userId, teamId: m.teamId, role: m.role, scopes: roleScopes[m.role], sessionId: session.id },
    session.expiresAt,
  );
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge });
}

// Ends the session server-side too, so a copy of the cookie stops working
// (within the auth cache's TTL in other isolates, at once in this one).
export async function endSession(c: Context<AppEnv>) {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) {
    const claims = await verifyToken(c.get("config").JWT_KEYS, cookie, "session").catch(() => null);
    if (claims?.sessionId) {
      await revokeSession(c.get("db"), claims.sessionId);
      forgetSession(claims.sessionId);
    }
  }
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}
