import { sql } from "drizzle-orm";
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { projects } from "./projects";

export const runStatuses = ["running", "finished", "failed", "killed", "crashed"] as const;
export type RunStatus = (typeof runStatuses)[number];

// Per metric key: the last value (at the highest step), min and max over
// non-NaN values, the highest step and the number of points. Non-finite
// numbers are stored as the strings "NaN", "Infinity", "-Infinity".
export type MetricSummary = {
  last: number | string;
  min: number | string | null;
  max: number | string | null;
  step: number;
  count: number;
};

export const runs = pgTable(
  "runs",
  {
    teamId: text("team_id").notNull(),
    id: text("id").notNull(),
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: runStatuses }).notNull().default("running"),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    // Key-value tags (MLflow's run tags); the labels above are W&B-style tags.
    kvTags: jsonb("kv_tags").$type<Record<string, string>>().notNull().default({}),
    // The run this one is nested under (MLflow's mlflow.parentRunId).
    parentId: text("parent_id"),
    notes: text("notes").notNull().default(""),
    git: jsonb("git").$type<{ commit?: string; branch?: string; dirty?: boolean; remote?: string }>(),
    host: text("host"),
    system: jsonb("system").$type<Record<string, unknown>>(),
    // Kept current by metric ingest, in the same transaction as the points.
    summary: jsonb("summary").$type<Record<string, MetricSummary>>().notNull().default({}),
    // Values a user sets by hand (W&B's run.summary["best"] = ...); kept apart
    // from the computed summary so metric ingest never overwrites them.
    summaryOverrides: jsonb("summary_overrides").$type<Record<string, unknown>>().notNull().default({}),
    exitCode: integer("exit_code"),
    pinned: boolean("pinned").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    // Soft delete (MLflow's lifecycle_stage "deleted"): restorable; native lists leave such runs out.
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    // Archived runs stay whole but leave the default runs table (W&B's "hide").
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.id] }),
    foreignKey({ columns: [t.teamId, t.projectId], foreignColumns: [projects.teamId, projects.id] }).onDelete("cascade"),
    index("runs_team_project_created_idx").on(t.teamId, t.projectId, t.createdAt.desc()),
    // The cron's crash sweep runs across all teams, so this small partial index
    // is the one that does not start with team_id (docs/adr/0002).
    index("runs_running_heartbeat_idx").on(t.heartbeatAt).where(sql`status = 'running'`),
  ],
);
