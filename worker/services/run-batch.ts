import type { Db } from "../lib/db";
import { ingestBatch, ingestInTx } from "./metrics/ingest";
import { batchOfPoints, type LoggedPoint } from "./metrics/parse";
import { getActiveRunInTeam } from "./run-lookup";
import { logParams, type Param } from "./run-params";
import { setRunTags, type Tag } from "./run-tags";

export type RunBatch = { metrics: LoggedPoint[]; params: Param[]; tags: Tag[] };

// MLflow's log-batch (and its single-item verbs): params, tags and metric
// points of one run, all or nothing. Metrics alone take ingest's own
// transaction, the hot path; the server numbers the batch, so a retried
// request rewrites the same (key, step) points and doubles nothing.
export async function logRunBatch(db: Db, teamId: string, runId: string, b: RunBatch): Promise<void> {
  const points = b.metrics.length > 0 ? batchOfPoints(b.metrics) : null;
  if (b.params.length === 0 && b.tags.length === 0) {
    if (points) await ingestBatch(db, teamId, runId, points);
    // An empty batch still names a run that must exist and be active.
    else await getActiveRunInTeam(db, teamId, runId);
    return;
  }
  await db.transaction(async (tx) => {
    await logParams(tx, teamId, runId, b.params);
    await setRunTags(tx, teamId, runId, b.tags);
    if (points) await ingestInTx(tx, teamId, runId, points);
  });
}
