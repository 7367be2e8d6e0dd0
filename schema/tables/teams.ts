import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const teams = pgTable("teams", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  // Plan limits live in code (worker/lib/plans.ts); the row names the plan.
  plan: text("plan").notNull().default("free"),
  // Per-team overrides of the plan's limits, set by an operator (npm run admin).
  planOverrides: jsonb("plan_overrides").$type<Record<string, number>>().notNull().default({}),
  // Set when the owner deletes the team: credentials stop at once, and the
  // cron deletes its data in bounded batches, the team row last.
  deletingAt: timestamp("deleting_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
