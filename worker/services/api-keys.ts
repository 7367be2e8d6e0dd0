import { and, desc, eq, isNull } from "drizzle-orm";
import { apiKeys, memberships, teams, type Role } from "../../schema";
import { generateApiKey, hashApiKey } from "../lib/api-key-format";
import type { Db, Writer } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import type { CachedKey } from "../lib/key-cache";
import { roleScopes, type Scope } from "../lib/principal";

const publicColumns = {
  id: apiKeys.id,
  label: apiKeys.label,
  scopes: apiKeys.scopes,
  userId: apiKeys.userId,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

export type ApiKeyView = {
  id: string;
  label: string;
  scopes: string[];
  userId: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

// A key never carries more than its creator's role allows.
export async function createApiKey(
  db: Writer,
  teamId: string,
  userId: string,
  creatorRole: Role,
  input: { label: string; scopes: Scope[]; expiresAt?: Date },
): Promise<ApiKeyView & { key: string }> {
  const allowed = roleScopes[creatorRole];
  const denied = input.scopes.filter((s) => !allowed.includes(s));
  if (denied.length) {
    throw new ApiError("permission_denied", `scopes: your role (${creatorRole}) cannot grant ${denied.join(", ")}`);
  }
  const { id, key } = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id,
      teamId,
      userId,
      label: input.label,
      scopes: [...new Set(input.scopes)],
      secretHash: await hashApiKey(key),
      expiresAt: input.expiresAt ?? null,
    })
    .returning(publicColumns);
  return { ...row!, key };
}

export async function listApiKeys(db: Db, teamId: string): Promise<ApiKeyView[]> {
  return db.select(publicColumns).from(apiKeys).where(eq(apiKeys.teamId, teamId)).orderBy(desc(apiKeys.createdAt));
}

// Members revoke their own keys; admins and owners revoke anyone's.
export async function revokeApiKey(db: Db, teamId: string, keyId: string, actor: { userId: string; isAdmin: boolean }) {
  const [key] = await db
    .select({ userId: apiKeys.userId, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), eq(apiKeys.id, keyId)))
    .limit(1);
  if (!key) throw notFound("api key");
  if (key.userId !== actor.userId && !actor.isAdmin) {
    throw new ApiError("permission_denied", "only an admin can revoke another member's key");
  }
  if (key.revokedAt) return;
  await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.teamId, teamId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
}

// The auth path's lookup: a key is usable only while unrevoked and while its
// user is still a member of its team (with the member's current role), and
// while the team is not being deleted.
export async function lookupApiKey(db: Db, keyId: string): Promise<CachedKey> {
  const [row] = await db
    .select({
      secretHash: apiKeys.secretHash,
      teamId: apiKeys.teamId,
      userId: apiKeys.userId,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      role: memberships.role,
    })
    .from(apiKeys)
    .innerJoin(memberships, and(eq(memberships.teamId, apiKeys.teamId), eq(memberships.userId, apiKeys.userId)))
    .innerJoin(teams, and(eq(teams.id, apiKeys.teamId), isNull(teams.deletingAt)))
    .where(eq(apiKeys.id, keyId))
    .limit(1);
  if (!row || row.revokedAt) return null;
  const allowed = roleScopes[row.role];
  return {
    secretHash: row.secretHash,
    teamId: row.teamId,
    userId: row.userId,
    role: row.role,
    scopes: (row.scopes as Scope[]).filter((s) => allowed.includes(s)),
    expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
  };
}

export async function touchApiKey(db: Db, keyId: string): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, keyId));
}
