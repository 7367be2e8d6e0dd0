import { readConfig, type Bindings } from "./env";
import { createDb } from "./lib/db";
import { createStorage } from "./lib/storage";
import { collectArtifactGarbage } from "./services/artifacts/gc";
import { compactMetrics } from "./services/metrics/compaction";
import { sweepRateLimits } from "./services/rate-limit";
import { runRetention } from "./services/retention";
import { markCrashedRuns } from "./services/runs";
import { sweepSessions } from "./services/sessions";
import { sweepShareSnapshots } from "./services/share-snapshot-gc";
import { runTeamDeletions } from "./services/team-deletion";

// Cron work: each task is bounded and independent, so one failing does not
// stop the others.
export async function runScheduled(env: Bindings, scheduledTime: number): Promise<Record<string, string>> {
  const config = readConfig(env);
  const { db, close } = createDb(config);
  const tasks: Record<string, () => Promise<unknown>> = {
    rate_limits: () => sweepRateLimits(db),
    sessions: () => sweepSessions(db),
    compaction: () => compactMetrics(db),
    crash_sweep: () => markCrashedRuns(db, config.CRASH_AFTER_SECONDS, 5000),
    team_deletion: () => runTeamDeletions(db, createStorage(config)),
    share_snapshots: () => sweepShareSnapshots(db, createStorage(config)),
    retention: () => runRetention(db, createStorage(config)),
    // After the two above, so objects they left unreferenced go this tick.
    artifact_gc: () => collectArtifactGarbage(db, createStorage(config)),
  };
  const outcome: Record<string, string> = {};
  try {
    for (const [name, task] of Object.entries(tasks)) {
      try {
        await task();
        outcome[name] = "ok";
      } catch (err) {
        outcome[name] = `failed: ${String(err)}`;
        console.error(JSON.stringify({ scheduled: name, at: scheduledTime, error: String(err) }));
      }
    }
  } finally {
    await close();
  }
  return outcome;
}
