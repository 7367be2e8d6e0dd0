import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// Users are global (one login, many teams); they are not tenant-owned rows.
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    name: text("name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);
