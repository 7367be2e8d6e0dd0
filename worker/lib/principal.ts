import type { Role } from "../../schema";
import type { ShareScope } from "./share-access";

export const scopes = ["read", "write", "admin"] as const;
export type Scope = (typeof scopes)[number];

// Who is calling, decided once by the auth middleware. Handlers and services
// take the team id from here and nowhere else.
export type Principal = {
  teamId: string;
  userId: string;
  scopes: Scope[];
  role?: Role;
  via: "session" | "access_token" | "api_key" | "share_link";
  keyId?: string;
  // Sessions only: the log-in this cookie belongs to and when it ends.
  session?: { id: string; expiresAt: Date };
  // Share links only: the one report and what its blocks name (no scopes; only
  // routes that opt in with guardShare serve it, worker/middleware/auth.ts).
  share?: ShareScope;
};

export const roleScopes: Record<Role, Scope[]> = {
  owner: ["read", "write", "admin"],
  admin: ["read", "write", "admin"],
  member: ["read", "write"],
  viewer: ["read"],
};

export const roleRank: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
