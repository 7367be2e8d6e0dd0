import { bigint, foreignKey, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { runs } from "./runs";

// Console output, one row per client batch rather than per line: the batch row
// is at once the idempotency record for (run, seq) and the lines themselves,
// so a retried batch can never half-apply, and TOAST compresses the text
// arrays (console output compresses well; a row per line costs ~100 bytes of
// overhead). Lines are numbered densely: the batch's lines are
// first_n … first_n + line_count - 1, so a page read finds its batches by
// (run, first_n) and slices the arrays.
export const runLogBatches = pgTable(
  "run_log_batches",
  {
    teamId: text("team_id").notNull(),
    runId: text("run_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    firstN: bigint("first_n", { mode: "number" }).notNull(),
    lineCount: integer("line_count").notNull(),
    // UTF-8 bytes of all texts, so a read can stop at a byte budget without detoasting.
    bytes: integer("bytes").notNull(),
    texts: text("texts").array().notNull(),
    // One character per line: "o" stdout, "e" stderr.
    streams: text("streams").notNull(),
    // Epoch milliseconds per line.
    ts: bigint("ts", { mode: "number" }).array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.runId, t.seq] }),
    uniqueIndex("run_log_batches_first_n_idx").on(t.teamId, t.runId, t.firstN),
    foreignKey({ columns: [t.teamId, t.runId], foreignColumns: [runs.teamId, runs.id] }).onDelete("cascade"),
  ],
);
