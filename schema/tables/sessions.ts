import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

// One row per log-in. The session cookie (a JWT) names its row, so log-out can
// end that one session everywhere within the auth cache's TTL. Sessions belong to
// a user, not a team (one log-in switches between teams), so no team_id leads the index.
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.expiresAt)],
);
