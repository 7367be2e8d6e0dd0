import { integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { teams } from "./teams";

export const projects = pgTable(
  "projects",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    // Key-value tags (MLflow's experiment tags).
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    // Set when deleted through MLflow's API (its experiments are soft-deleted
    // and restorable); native lists leave such projects out.
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    // History retention for this project's runs, when shorter than the plan's.
    retentionDays: integer("retention_days"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] }), uniqueIndex("projects_team_name_idx").on(t.teamId, t.name)],
);
