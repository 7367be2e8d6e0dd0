import { z } from "@hono/zod-openapi";
import type { ShareLinkView } from "../../services/share-links";

const id = (name: string) => z.string().min(1).max(64).openapi({ param: { name, in: "path" } });

export const reportParams = z.object({ report: id("report") });
export const linkParams = z.object({ link: id("link") });

// The plan's longest expiry is checked in the handler (it needs the team).
export const createLinkBody = z.object({
  expires_in_days: z.number().int().min(1, "must be at least 1 day").max(3650).default(30),
  // The link shows the data as it is now, stored once (worker/services/share-snapshot.ts;
  // 413 above MAX_SNAPSHOT_SERIES series or MAX_SNAPSHOT_POINTS points).
  frozen: z.boolean().default(false),
});

export const shareLinkSchema = z
  .object({
    id: z.string(),
    report_id: z.string(),
    created_by: z.string(),
    created_at: z.string(),
    expires_at: z.string(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    frozen: z.boolean(),
    frozen_version: z.number().int().nullable(),
    // Bytes of a frozen link's data snapshot (stored once, shared by links of the same content).
    snapshot_bytes: z.number().int().nullable(),
  })
  .openapi("ShareLink");

export const shareLinkJson = (l: ShareLinkView) => ({
  id: l.id,
  report_id: l.reportId,
  created_by: l.createdBy,
  created_at: l.createdAt.toISOString(),
  expires_at: l.expiresAt.toISOString(),
  revoked_at: l.revokedAt ? l.revokedAt.toISOString() : null,
  last_used_at: l.lastUsedAt ? l.lastUsedAt.toISOString() : null,
  frozen: l.frozen,
  frozen_version: l.frozenVersion,
  snapshot_bytes: l.snapshotBytes,
});
