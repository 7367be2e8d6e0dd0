import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../env";
import { signToken } from "../../lib/jwt";
import { roleScopes } from "../../lib/principal";
import { SESSION_COOKIE } from "../../middleware/auth";
import type { Role } from "../../../schema";

export async function startSession(c: Context<AppEnv>, userId: string, teamId: string, role: Role) {
  const config = c.get("config");
  const ttl = config.SESSION_TTL_HOURS * 3600;
  const token = await signToken(config.JWT_KEYS, { kind: "session", userId, teamId, role, scopes: roleScopes[role] }, ttl);
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge: ttl });
}

export function endSession(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}
