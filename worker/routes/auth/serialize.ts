import type { ApiKeyView } from "../../services/api-keys";

export function apiKeyJson(k: ApiKeyView) {
  return {
    id: k.id,
    label: k.label,
    scopes: k.scopes as ("read" | "write" | "admin")[],
    user_id: k.userId,
    created_at: k.createdAt.toISOString(),
    expires_at: k.expiresAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
  };
}
