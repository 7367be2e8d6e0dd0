import type { Role } from "../../schema";
import type { Scope } from "./principal";

export type CachedKey = {
  secretHash: string;
  teamId: string;
  userId: string;
  scopes: Scope[];
  role: Role;
  expiresAt: number | null;
} | null; // null: no usable key with that id (unknown, revoked, or its user left the team)

// Per-isolate cache of verified API keys, so the MLflow path (the key itself on
// every request) costs no database round trip. Entries live at most
// KEY_CACHE_TTL_SECONDS (≤ 60), which bounds how long a revocation takes to reach
// other isolates; the isolate that revokes a key drops it at once.
const MAX_ENTRIES = 10_000;
const entries = new Map<string, { value: CachedKey; until: number }>();

export function getCachedKey(id: string, now = Date.now()): CachedKey | undefined {
  const hit = entries.get(id);
  if (!hit) return undefined;
  if (hit.until <= now) {
    entries.delete(id);
    return undefined;
  }
  return hit.value;
}

export function cacheKey(id: string, value: CachedKey, ttlSeconds: number, now = Date.now()) {
  if (ttlSeconds <= 0) return;
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  entries.set(id, { value, until: now + ttlSeconds * 1000 });
}

export function forgetKey(id: string) {
  entries.delete(id);
}
