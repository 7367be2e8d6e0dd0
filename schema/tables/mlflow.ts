import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, bigint } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { runs } from "./runs";

// What MLflow's API has and the native one had no place for: datasets a run
// used (log-inputs), the model registry, and MLflow 3's logged models.

export const runDatasets = pgTable(
  "run_datasets",
  {
    teamId: text("team_id").notNull(),
    runId: text("run_id").notNull(),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
    // The input's tags (mlflow.data.context: "training", "eval", ...).
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.runId, t.name, t.digest] }),
    foreignKey({ columns: [t.teamId, t.runId], foreignColumns: [runs.teamId, runs.id] }).onDelete("cascade"),
  ],
);

export const registeredModels = pgTable(
  "registered_models",
  {
    teamId: text("team_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    // Highest version number handed out, bumped under the row lock.
    lastVersion: integer("last_version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] }), uniqueIndex("registered_models_team_name_idx").on(t.teamId, t.name)],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    teamId: text("team_id").notNull(),
    modelId: text("model_id").notNull(),
    version: integer("version").notNull(),
    source: text("source").notNull(),
    runId: text("run_id"),
    runLink: text("run_link").notNull().default(""),
    // MLflow 3: the logged model this version was made from.
    loggedModelId: text("logged_model_id"),
    status: text("status").notNull().default("READY"),
    stage: text("stage").notNull().default("None"),
    description: text("description").notNull().default(""),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.modelId, t.version] }),
    foreignKey({ columns: [t.teamId, t.modelId], foreignColumns: [registeredModels.teamId, registeredModels.id] }).onDelete("cascade"),
    index("model_versions_team_run_idx").on(t.teamId, t.runId),
  ],
);

export const modelAliases = pgTable(
  "model_aliases",
  {
    teamId: text("team_id").notNull(),
    modelId: text("model_id").notNull(),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.modelId, t.alias] }),
    foreignKey({ columns: [t.teamId, t.modelId, t.version], foreignColumns: [modelVersions.teamId, modelVersions.modelId, modelVersions.version] }).onDelete(
      "cascade",
    ),
  ],
);

// MLflow 3's logged models (mlflow.<flavor>.log_model makes one per call).
export const loggedModels = pgTable(
  "logged_models",
  {
    teamId: text("team_id").notNull(),
    id: text("id").notNull(),
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    sourceRunId: text("source_run_id"),
    modelType: text("model_type"),
    status: text("status").notNull().default("PENDING"),
    statusMessage: text("status_message"),
    params: jsonb("params").$type<Record<string, string>>().notNull().default({}),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    // Metrics logged against the model: [{key, value, timestamp, step, run_id, dataset_name, dataset_digest}].
    metrics: jsonb("metrics").$type<Record<string, unknown>[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.id] }),
    foreignKey({ columns: [t.teamId, t.projectId], foreignColumns: [projects.teamId, projects.id] }).onDelete("cascade"),
    index("logged_models_team_project_created_idx").on(t.teamId, t.projectId, t.createdAt),
  ],
);

// Files under a logged model's artifact location, content-addressed like run
// files (the object is t/<team>/sha256/<hex>; GC asks this table too).
export const loggedModelFiles = pgTable(
  "logged_model_files",
  {
    teamId: text("team_id").notNull(),
    modelId: text("model_id").notNull(),
    path: text("path").notNull(),
    sha256: text("sha256").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.modelId, t.path] }),
    foreignKey({ columns: [t.teamId, t.modelId], foreignColumns: [loggedModels.teamId, loggedModels.id] }).onDelete("cascade"),
    index("logged_model_files_team_sha_idx").on(t.teamId, t.sha256),
  ],
);
