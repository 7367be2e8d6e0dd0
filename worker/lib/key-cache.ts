import type { Role } from "../../schema";
import type { Scope } from "./principal";
import type { ShareScope } from "./share-access";

export type CachedKey = {
  secretHash: string;
  teamId: string;
  userId: string;
  scopes: Scope[];
  role: Role;
  expiresAt: number | null;
} | null; // null: no usable key with that id (unknown, revoked, or its user left the team)

// A live session in one team: its user and that user's current role there.
export type CachedSession = { userId: string; teamId: string; role: Role } | null; // null: logged out, or not a member

// A live share link: its hash, team, creator, expiry and what it may read
// (computed from the report's blocks once per cache fill).
export type CachedShare = { secretHash: string; teamId: string; userId: string; expiresAt: number; scope: ShareScope } | null; // null: unknown or revoked

// Per-isolate caches of credential state, so neither the MLflow path (the key
// itself on every request) nor the JWT paths (sessions, access tokens) pay a
// database round trip per request. Entries live at most KEY_CACHE_TTL_SECONDS
// (≤ 60), which bounds how long a revocation, log-out, removal or role change
// takes to reach other isolates; the isolate that makes the change drops the
// entries it can name at once.
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  constructor(private readonly maxEntries = 10_000) {}

  get(id: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(id);
      return undefined;
    }
    return hit.value;
  }

  set(id: string, value: V, ttlSeconds: number, now = Date.now()) {
    if (ttlSeconds <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, { value, until: now + ttlSeconds * 1000 });
  }

  delete(id: string) {
    this.entries.delete(id);
  }

  // For changes that touch entries the caller cannot name one by one (every
  // session of a removed member); a scan of at most maxEntries, on rare writes only.
  deleteWhere(match: (id: string, value: V) => boolean) {
    for (const [id, e] of this.entries) if (match(id, e.value)) this.entries.delete(id);
  }
}

export const keyCache = new TtlCache<CachedKey>();
// Keyed `${sessionId} ${teamId}`: a session switches teams, and its role differs per team.
export const sessionCache = new TtlCache<CachedSession>();

// Keyed by link id. A report edit reaches a live link's scope within the TTL too.
export const shareCache = new TtlCache<CachedShare>();

export const sessionCacheKey = (sessionId: string, teamId: string) => `${sessionId} ${teamId}`;

export function forgetKey(id: string) {
  keyCache.delete(id);
}

export function forgetShareLink(id: string) {
  shareCache.delete(id);
}

export function forgetSession(sessionId: string) {
  sessionCache.deleteWhere((id) => id.startsWith(`${sessionId} `));
}

// A membership ended or changed: drop what this isolate cached for it.
export function forgetMember(teamId: string, userId: string) {
  const mine = (_: string, v: { teamId: string; userId: string } | null) => v !== null && v.teamId === teamId && v.userId === userId;
  keyCache.deleteWhere(mine);
  sessionCache.deleteWhere(mine);
}
