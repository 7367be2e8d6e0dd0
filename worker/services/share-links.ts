import { and, desc, eq, isNull } from "drizzle-orm";
import { reports, reportVersions, shareLinks, teams } from "../../schema";
import { hashApiKey } from "../lib/api-key-format";
import type { Db, Writer } from "../lib/db";
import { notFound } from "../lib/errors";
import type { CachedShare } from "../lib/key-cache";
import { requireStore } from "../lib/presign";
import { generateShareToken, scopeFromBlocks } from "../lib/share-access";
import type { Storage } from "../lib/storage";
import { takeSnapshot } from "./share-snapshot";
import { releaseSnapshot } from "./share-snapshot-gc";

const publicColumns = {
  id: shareLinks.id,
  reportId: shareLinks.reportId,
  createdBy: shareLinks.createdBy,
  createdAt: shareLinks.createdAt,
  expiresAt: shareLinks.expiresAt,
  revokedAt: shareLinks.revokedAt,
  lastUsedAt: shareLinks.lastUsedAt,
  frozen: shareLinks.frozen,
  frozenVersion: shareLinks.frozenVersion,
  snapshotBytes: shareLinks.snapshotBytes,
};

export type ShareLinkView = {
  id: string;
  reportId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  frozen: boolean;
  frozenVersion: number | null;
  // A frozen link's stored snapshot (shared with other links of the same content).
  snapshotBytes: number | null;
};

async function reportInTeam(db: Db, teamId: string, reportId: string) {
  const [row] = await db
    .select({ id: reports.id, version: reports.version, projectId: reports.projectId, blocks: reports.blocks })
    .from(reports)
    .where(and(eq(reports.teamId, teamId), eq(reports.id, reportId)))
    .limit(1);
  if (!row) throw notFound("report");
  return row;
}

// A frozen link records the report's version and stores the data its blocks
// show (worker/services/share-snapshot.ts) before the link exists, so a link
// never names a half-written snapshot.
export async function createShareLink(
  db: Writer & Db,
  storage: () => Storage,
  teamId: string,
  userId: string,
  reportId: string,
  input: { expiresAt: Date; frozen: boolean },
): Promise<ShareLinkView & { token: string }> {
  const report = await reportInTeam(db, teamId, reportId);
  const { id, token } = generateShareToken();
  let snapshot: { key: string; bytes: number } | null = null;
  if (input.frozen) {
    const blocks = Array.isArray(report.blocks) ? (report.blocks as unknown[]) : [];
    const scope = scopeFromBlocks({ linkId: id, reportId: report.id, projectId: report.projectId, frozenVersion: report.version, snapshotKey: null }, blocks);
    snapshot = await takeSnapshot(db, requireStore(storage), teamId, scope);
  }
  const [row] = await db
    .insert(shareLinks)
    .values({
      id,
      teamId,
      reportId: report.id,
      secretHash: await hashApiKey(token),
      createdBy: userId,
      expiresAt: input.expiresAt,
      frozen: input.frozen,
      frozenVersion: input.frozen ? report.version : null,
      snapshotKey: snapshot?.key ?? null,
      snapshotBytes: snapshot?.bytes ?? null,
    })
    .returning(publicColumns);
  return { ...row!, token };
}

export async function listShareLinks(db: Db, teamId: string, reportId: string): Promise<ShareLinkView[]> {
  await reportInTeam(db, teamId, reportId);
  return db
    .select(publicColumns)
    .from(shareLinks)
    .where(and(eq(shareLinks.teamId, teamId), eq(shareLinks.reportId, reportId)))
    .orderBy(desc(shareLinks.createdAt));
}

// Idempotent: revoking a revoked link is done already. Its snapshot goes too
// when no live link shares it.
export async function revokeShareLink(db: Db, storage: () => Storage, teamId: string, linkId: string): Promise<ShareLinkView> {
  const [row] = await db
    .select({ ...publicColumns, snapshotKey: shareLinks.snapshotKey })
    .from(shareLinks)
    .where(and(eq(shareLinks.teamId, teamId), eq(shareLinks.id, linkId)))
    .limit(1);
  if (!row) throw notFound("share link");
  if (!row.revokedAt) {
    await db
      .update(shareLinks)
      .set({ revokedAt: new Date() })
      .where(and(eq(shareLinks.teamId, teamId), eq(shareLinks.id, linkId), isNull(shareLinks.revokedAt)));
  }
  if (row.snapshotKey) await releaseSnapshot(db, storage, teamId, row.snapshotKey);
  const { snapshotKey: _, ...view } = row;
  return view;
}

// A link by id (before the team is known, like API keys) with the title and
// blocks it shows: the report's current ones, or for a frozen link the
// version it froze (null when that version was never stored). Null when the
// link is unknown or revoked, or its team is being deleted.
export async function linkWithShownReport(db: Db, linkId: string) {
  const [row] = await db
    .select({
      teamId: shareLinks.teamId,
      reportId: shareLinks.reportId,
      secretHash: shareLinks.secretHash,
      createdBy: shareLinks.createdBy,
      expiresAt: shareLinks.expiresAt,
      revokedAt: shareLinks.revokedAt,
      frozenVersion: shareLinks.frozenVersion,
      snapshotKey: shareLinks.snapshotKey,
      projectId: reports.projectId,
      title: reports.title,
      blocks: reports.blocks,
      version: reports.version,
    })
    .from(shareLinks)
    .innerJoin(reports, and(eq(reports.teamId, shareLinks.teamId), eq(reports.id, shareLinks.reportId)))
    .innerJoin(teams, and(eq(teams.id, shareLinks.teamId), isNull(teams.deletingAt)))
    .where(eq(shareLinks.id, linkId))
    .limit(1);
  if (!row || row.revokedAt) return null;
  let shown: { title: string; blocks: unknown[] } | null = { title: row.title, blocks: row.blocks };
  if (row.frozenVersion !== null && row.frozenVersion !== row.version) {
    const [v] = await db
      .select({ title: reportVersions.title, blocks: reportVersions.blocks })
      .from(reportVersions)
      .where(and(eq(reportVersions.teamId, row.teamId), eq(reportVersions.reportId, row.reportId), eq(reportVersions.version, row.frozenVersion)))
      .limit(1);
    shown = v ?? null;
  }
  return { ...row, shown };
}

// The auth path: the link with the scope its shown blocks grant.
export async function lookupShareLink(db: Db, linkId: string): Promise<CachedShare> {
  const row = await linkWithShownReport(db, linkId);
  if (!row) return null;
  // A frozen version that was never stored grants nothing rather than today's blocks.
  const blocks = row.shown?.blocks ?? [];
  return {
    secretHash: row.secretHash,
    teamId: row.teamId,
    userId: row.createdBy,
    expiresAt: row.expiresAt.getTime(),
    scope: scopeFromBlocks(
      { linkId, reportId: row.reportId, projectId: row.projectId, frozenVersion: row.frozenVersion, snapshotKey: row.snapshotKey },
      Array.isArray(blocks) ? blocks : [],
    ),
  };
}

export async function touchShareLink(db: Db, linkId: string): Promise<void> {
  await db.update(shareLinks).set({ lastUsedAt: new Date() }).where(eq(shareLinks.id, linkId));
}
