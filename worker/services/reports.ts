import { and, desc, eq, inArray } from "drizzle-orm";
import { reports, reportVersions, runs } from "../../schema";
import type { Db, Writer } from "../lib/db";
import { ApiError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { blockRunIds, type ReportBlock } from "../lib/report-blocks";
import { getProjectInTeam } from "./projects";

export type Report = typeof reports.$inferSelect;
export type ReportVersion = typeof reportVersions.$inferSelect;
export type ReportContent = { title: string; blocks: ReportBlock[] };

// Every run a report shows must be a run of the team (any of its projects: a
// report may compare runs across projects). Soft-deleted runs are accepted:
// they can still be read and restored.
async function checkRuns(db: Db, teamId: string, blocks: ReportBlock[]) {
  const named = blockRunIds(blocks);
  if (named.size === 0) return;
  const found = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.teamId, teamId), inArray(runs.id, [...named.keys()])));
  const have = new Set(found.map((r) => r.id));
  for (const [runId, index] of named) {
    if (!have.has(runId)) throw new ApiError("invalid_argument", `blocks.${index}.runs: run ${runId} not found in this team`);
  }
}

// The one tenancy check for reports: in the team, or 404.
export async function getReportInTeam(db: Db, teamId: string, reportId: string): Promise<Report> {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.teamId, teamId), eq(reports.id, reportId)))
    .limit(1);
  if (!row) throw notFound("report");
  return row;
}

// Every saved version is kept whole in report_versions, the current one too
// (version 1 at creation), so history and restore read one table.
function saveVersion(tx: Writer, r: Report) {
  return tx
    .insert(reportVersions)
    .values({ teamId: r.teamId, reportId: r.id, version: r.version, title: r.title, blocks: r.blocks, savedBy: r.updatedBy, savedAt: r.updatedAt });
}

export async function createReport(db: Db, teamId: string, userId: string, projectRef: string, content: ReportContent): Promise<Report> {
  const project = await getProjectInTeam(db, teamId, projectRef);
  await checkRuns(db, teamId, content.blocks);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reports)
      .values({ teamId, id: newId("rpt"), projectId: project.id, title: content.title, blocks: content.blocks, createdBy: userId, updatedBy: userId })
      .returning();
    await saveVersion(tx, row!);
    return row!;
  });
}

export async function listReports(db: Db, teamId: string, projectRef: string) {
  const project = await getProjectInTeam(db, teamId, projectRef);
  return db
    .select({ id: reports.id, title: reports.title, version: reports.version, updatedAt: reports.updatedAt, updatedBy: reports.updatedBy })
    .from(reports)
    .where(and(eq(reports.teamId, teamId), eq(reports.projectId, project.id)))
    .orderBy(desc(reports.updatedAt), desc(reports.id));
}

export const staleSave = (current: Report, baseVersion: number) =>
  new ApiError("conflict", `base_version: the report is at version ${current.version}, not ${baseVersion}; someone saved it meanwhile`, {
    current_version: current.version,
    current: { title: current.title, blocks: current.blocks, updated_by: current.updatedBy, updated_at: current.updatedAt.toISOString() },
  });

// Optimistic concurrency: one conditional UPDATE … WHERE version = base. Two
// saves from the same base queue on the row lock; the second re-checks the
// condition against the committed row, matches nothing, and becomes a 409
// carrying the content it lost to, so no edit is lost silently.
export async function saveReport(db: Db, teamId: string, userId: string, reportId: string, content: ReportContent, baseVersion: number): Promise<Report> {
  await getReportInTeam(db, teamId, reportId);
  await checkRuns(db, teamId, content.blocks);
  const saved = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(reports)
      .set({ title: content.title, blocks: content.blocks, version: baseVersion + 1, updatedBy: userId, updatedAt: new Date() })
      .where(and(eq(reports.teamId, teamId), eq(reports.id, reportId), eq(reports.version, baseVersion)))
      .returning();
    if (row) await saveVersion(tx, row);
    return row;
  });
  if (saved) return saved;
  throw staleSave(await getReportInTeam(db, teamId, reportId), baseVersion);
}

export async function listVersions(db: Db, teamId: string, reportId: string) {
  await getReportInTeam(db, teamId, reportId);
  return db
    .select({ version: reportVersions.version, title: reportVersions.title, savedBy: reportVersions.savedBy, savedAt: reportVersions.savedAt })
    .from(reportVersions)
    .where(and(eq(reportVersions.teamId, teamId), eq(reportVersions.reportId, reportId)))
    .orderBy(desc(reportVersions.version));
}

export async function getVersion(db: Db, teamId: string, reportId: string, version: number): Promise<ReportVersion> {
  await getReportInTeam(db, teamId, reportId);
  const [row] = await db
    .select()
    .from(reportVersions)
    .where(and(eq(reportVersions.teamId, teamId), eq(reportVersions.reportId, reportId), eq(reportVersions.version, version)))
    .limit(1);
  if (!row) throw notFound(`version ${version} of report`);
  return row;
}

// A restore is a save of an old version's content: a new version on top, so
// nothing in between is lost. Its runs are checked again (one may be gone).
export async function restoreVersion(db: Db, teamId: string, userId: string, reportId: string, version: number, baseVersion: number) {
  const old = await getVersion(db, teamId, reportId, version);
  return saveReport(db, teamId, userId, reportId, { title: old.title, blocks: old.blocks as ReportBlock[] }, baseVersion);
}

// Versions and share links go with it (foreign keys, on delete cascade).
export async function deleteReport(db: Db, teamId: string, reportId: string): Promise<Report> {
  const [row] = await db
    .delete(reports)
    .where(and(eq(reports.teamId, teamId), eq(reports.id, reportId)))
    .returning();
  if (!row) throw notFound("report");
  return row;
}
