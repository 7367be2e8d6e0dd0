import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { teams } from "./teams";

// A report: a title and an ordered list of blocks (worker/lib/report-blocks.ts),
// in a project. `version` counts saves; a save names the version it edited, so
// two editors never overwrite each other silently (a stale save is a 409).
export const reports = pgTable(
  "reports",
  {
    teamId: text("team_id").notNull(),
    id: text("id").notNull(),
    projectId: text("project_id").notNull(),
    title: text("title").notNull(),
    blocks: jsonb("blocks").$type<Record<string, unknown>[]>().notNull().default([]),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.id] }),
    foreignKey({ columns: [t.teamId, t.projectId], foreignColumns: [projects.teamId, projects.id] }).onDelete("cascade"),
    index("reports_team_project_updated_idx").on(t.teamId, t.projectId, t.updatedAt),
  ],
);

// Every saved version, whole (reports are small: ≤ 256 KiB of blocks).
export const reportVersions = pgTable(
  "report_versions",
  {
    teamId: text("team_id").notNull(),
    reportId: text("report_id").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    blocks: jsonb("blocks").$type<Record<string, unknown>[]>().notNull(),
    savedBy: text("saved_by").notNull(),
    savedAt: timestamp("saved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.reportId, t.version] }),
    foreignKey({ columns: [t.teamId, t.reportId], foreignColumns: [reports.teamId, reports.id] }).onDelete("cascade"),
  ],
);

// A share link: a signed, revocable, expiring token for one report, read-only.
// Looked up by id before the team is known, like API keys (docs/adr/0002).
export const shareLinks = pgTable(
  "share_links",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    reportId: text("report_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    // Frozen links show the report as it was when shared: the version, and the
    // data its blocks read, stored once (object key in the store).
    frozen: boolean("frozen").notNull().default(false),
    frozenVersion: integer("frozen_version"),
    snapshotKey: text("snapshot_key"),
    snapshotBytes: bigint("snapshot_bytes", { mode: "number" }),
  },
  (t) => [
    foreignKey({ columns: [t.teamId, t.reportId], foreignColumns: [reports.teamId, reports.id] }).onDelete("cascade"),
    index("share_links_team_report_idx").on(t.teamId, t.reportId, t.createdAt),
  ],
);
