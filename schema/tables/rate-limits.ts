import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// Fixed-window counters for unauthenticated endpoints (sign-up, log-in), keyed
// by action and client address. Old windows are swept by the scheduled handler.
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
