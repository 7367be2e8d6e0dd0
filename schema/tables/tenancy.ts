import { bigint, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { roles } from "./memberships";
import { teams } from "./teams";

// Invite links: the secret is shown once (in the link) and stored hashed.
// Looked up by id before the team is known, like API keys (docs/adr/0002).
export const invites = pgTable(
  "invites",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    role: text("role", { enum: roles }).notNull(),
    // The address it is meant for, if any: then only that user may accept it.
    email: text("email"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("invites_team_created_idx").on(t.teamId, t.createdAt)],
);

// Usage per team and day, in shards: a writer adds to a shard row no other
// transaction holds (skip locked), or adds a new shard when all are busy (at
// most 64 a day, worker/services/usage.ts), so concurrent writers of a team
// never queue on one row; the month's usage is a sum over ≤ 31 × 64 rows.
export const usageDaily = pgTable(
  "usage_daily",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    shard: smallint("shard").notNull(),
    points: bigint("points", { mode: "number" }).notNull().default(0),
    runs: integer("runs").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.day, t.shard] })],
);

export const actorKinds = ["user", "api_key", "operator", "system"] as const;

// Append-only (a trigger refuses UPDATE; rows go only with their team).
export const auditLog = pgTable(
  "audit_log",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorKind: text("actor_kind", { enum: actorKinds }).notNull(),
    actorUserId: text("actor_user_id"),
    actorKeyId: text("actor_key_id"),
    // e.g. "api_key.create", "member.role_change", "invite.accept", "plan.set", "run.delete", "retention.pass"
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    address: text("address"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] }), index("audit_log_team_action_idx").on(t.teamId, t.action, t.id)],
);
