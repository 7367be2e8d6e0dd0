import { sql } from "drizzle-orm";
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { runs } from "./runs";

// Artifacts are content-addressed: a file is a path in a version pointing at an
// object (team, sha256); the object's bytes live at t/<team>/sha256/<hex> in the
// bucket. Objects are shared by every version and run file that names the hash,
// so identical bytes are stored (and counted) once per team.

export const artifacts = pgTable(
  "artifacts",
  {
    teamId: text("team_id").notNull(),
    id: text("id").notNull(),
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    description: text("description").notNull().default(""),
    // Highest version number handed out; bumped under the row lock on commit, so
    // numbers are dense per artifact and a pending version never takes one.
    lastVersion: integer("last_version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.id] }),
    foreignKey({ columns: [t.teamId, t.projectId], foreignColumns: [projects.teamId, projects.id] }).onDelete("cascade"),
    uniqueIndex("artifacts_team_project_name_idx").on(t.teamId, t.projectId, t.name),
  ],
);

export const versionStates = ["pending", "committed"] as const;

export const artifactVersions = pgTable(
  "artifact_versions",
  {
    teamId: text("team_id").notNull(),
    id: text("id").notNull(),
    artifactId: text("artifact_id").notNull(),
    // Null until committed: only visible versions are numbered.
    version: integer("version"),
    state: text("state", { enum: versionStates }).notNull().default("pending"),
    size: bigint("size", { mode: "number" }).notNull(),
    fileCount: integer("file_count").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    description: text("description").notNull().default(""),
    // Aliases to set on commit, asked for when the version was announced.
    pendingAliases: text("pending_aliases").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp("committed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.id] }),
    foreignKey({ columns: [t.teamId, t.artifactId], foreignColumns: [artifacts.teamId, artifacts.id] }).onDelete("cascade"),
    uniqueIndex("artifact_versions_team_artifact_version_idx").on(t.teamId, t.artifactId, t.version),
    index("artifact_versions_team_state_created_idx").on(t.teamId, t.state, t.createdAt),
  ],
);

export const artifactFiles = pgTable(
  "artifact_files",
  {
    teamId: text("team_id").notNull(),
    versionId: text("version_id").notNull(),
    path: text("path").notNull(),
    sha256: text("sha256").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.versionId, t.path] }),
    foreignKey({ columns: [t.teamId, t.versionId], foreignColumns: [artifactVersions.teamId, artifactVersions.id] }).onDelete("cascade"),
    // Garbage collection asks "does anything still name this object?".
    index("artifact_files_team_sha_idx").on(t.teamId, t.sha256),
  ],
);

export const artifactAliases = pgTable(
  "artifact_aliases",
  {
    teamId: text("team_id").notNull(),
    artifactId: text("artifact_id").notNull(),
    alias: text("alias").notNull(),
    versionId: text("version_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.artifactId, t.alias] }),
    foreignKey({ columns: [t.teamId, t.artifactId], foreignColumns: [artifacts.teamId, artifacts.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.teamId, t.versionId], foreignColumns: [artifactVersions.teamId, artifactVersions.id] }).onDelete("cascade"),
    index("artifact_aliases_team_version_idx").on(t.teamId, t.versionId),
  ],
);

export const lineageDirections = ["input", "output"] as const;

// Lineage both ways: a run's inputs and outputs, and a version's producer and users.
export const runArtifacts = pgTable(
  "run_artifacts",
  {
    teamId: text("team_id").notNull(),
    runId: text("run_id").notNull(),
    versionId: text("version_id").notNull(),
    direction: text("direction", { enum: lineageDirections }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.runId, t.direction, t.versionId] }),
    foreignKey({ columns: [t.teamId, t.runId], foreignColumns: [runs.teamId, runs.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.teamId, t.versionId], foreignColumns: [artifactVersions.teamId, artifactVersions.id] }).onDelete("cascade"),
    index("run_artifacts_team_version_idx").on(t.teamId, t.versionId, t.direction),
  ],
);

// Loose files attached to a run (images, configs, reports).
export const runFiles = pgTable(
  "run_files",
  {
    teamId: text("team_id").notNull(),
    runId: text("run_id").notNull(),
    path: text("path").notNull(),
    sha256: text("sha256").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    state: text("state", { enum: versionStates }).notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.runId, t.path] }),
    foreignKey({ columns: [t.teamId, t.runId], foreignColumns: [runs.teamId, runs.id] }).onDelete("cascade"),
    index("run_files_team_sha_idx").on(t.teamId, t.sha256),
  ],
);

export const objectStates = ["pending", "stored"] as const;

// One row per unique object a team stores or is uploading. Storage used is the
// sum of `size` over stored rows: computed, so no counter row serialises writers.
export const objects = pgTable(
  "objects",
  {
    teamId: text("team_id").notNull(),
    sha256: text("sha256").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    state: text("state", { enum: objectStates }).notNull().default("pending"),
    // Multipart uploads: the store's upload id and the part size the URLs were minted for.
    uploadId: text("upload_id"),
    partSize: bigint("part_size", { mode: "number" }),
    // Refreshed whenever an upload or commit names the object; GC only takes
    // objects untouched for its grace period, so an upload in flight is never collected.
    touchedAt: timestamp("touched_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.sha256] }), index("objects_team_touched_idx").on(t.teamId, t.touchedAt)],
);
