import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { teams } from "./teams";
import { users } from "./users";

export const apiKeys = pgTable(
  "api_keys",
  {
    // The public, non-secret id part of the key (`sl_<id>_<secret>`): the lookup
    // happens before the team is known, so this table's primary key is the id alone.
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    scopes: text("scopes").array().notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_team_idx").on(t.teamId, t.createdAt)],
);
