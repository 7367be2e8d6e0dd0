import { foreignKey, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { projects } from "./projects";

// A member's saved chart workspace for one project (W&B's workspace): which
// runs are shown, smoothing, axis, section order and collapsed sections.
// The settings object is the dashboard's own; the server only bounds its size.
export const workspaces = pgTable(
  "workspaces",
  {
    teamId: text("team_id").notNull(),
    projectId: text("project_id").notNull(),
    userId: text("user_id").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.projectId, t.userId] }),
    foreignKey({ columns: [t.teamId, t.projectId], foreignColumns: [projects.teamId, projects.id] }).onDelete("cascade"),
  ],
);
