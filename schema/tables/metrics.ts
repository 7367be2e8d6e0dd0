import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
} from "drizzle-orm/pg-core";
import { runs } from "./runs";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

// One row per (run, metric key). The row is the lock that orders ingest and
// compaction of a series (both take it FOR UPDATE), and the flag that tells
// the cron which series have small or overlapping chunks to merge.
export const metricSeries = pgTable(
  "metric_series",
  {
    teamId: text("team_id").notNull(),
    runId: text("run_id").notNull(),
    key: text("key").notNull(),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    needsCompaction: boolean("needs_compaction").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.runId, t.key] }),
    unique("metric_series_team_id_id_key").on(t.teamId, t.id),
    foreignKey({ columns: [t.teamId, t.runId], foreignColumns: [runs.teamId, runs.id] }).onDelete("cascade"),
    // Small: only series waiting for the cron are in it, so the cron scans it whole.
    index("metric_series_compaction_idx").on(t.teamId, t.id).where(sql`needs_compaction`),
  ],
);

// Points of one series, many to a row (docs/adr/0004-metric-chunks.md): the
// payload packs steps, timestamps, per-point batch seqs and values
// (worker/services/metrics/codec.ts); the columns are the per-chunk stats
// that let a bucket read skip decoding. min/max ignore NaN (null when all
// NaN); last is the value at step_max. Chunks of a series may overlap in
// steps until compaction merges them; reads resolve repeats by seq.
export const metricChunks = pgTable(
  "metric_chunks",
  {
    teamId: text("team_id").notNull(),
    seriesId: bigint("series_id", { mode: "number" }).notNull(),
    stepMin: bigint("step_min", { mode: "number" }).notNull(),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    stepMax: bigint("step_max", { mode: "number" }).notNull(),
    count: integer("count").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    vMin: doublePrecision("v_min"),
    vMax: doublePrecision("v_max"),
    vLast: doublePrecision("v_last").notNull(),
    tMin: bigint("t_min", { mode: "number" }).notNull(),
    tMax: bigint("t_max", { mode: "number" }).notNull(),
    // The point with the largest timestamp is also the one at step_max, so a
    // time-axis read may use v_last as the bucket's last value.
    tMonotone: boolean("t_monotone").notNull(),
    payload: bytea("payload").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.seriesId, t.stepMin, t.id] }),
    foreignKey({ columns: [t.teamId, t.seriesId], foreignColumns: [metricSeries.teamId, metricSeries.id] }).onDelete("cascade"),
  ],
);

// Each (run, seq) batch once: inserted in the same transaction as its points.
export const metricBatches = pgTable(
  "metric_batches",
  {
    teamId: text("team_id").notNull(),
    runId: text("run_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.runId, t.seq] }),
    foreignKey({ columns: [t.teamId, t.runId], foreignColumns: [runs.teamId, runs.id] }).onDelete("cascade"),
  ],
);
