import type { Db } from "../lib/db";
import type { Storage } from "../lib/storage";

// Cron: removes teams marked for deletion, their objects first, in bounded
// batches. Filled in by issue 11's team deletion work.
export async function runTeamDeletions(_db: Db, _storage: () => Storage): Promise<{ teams: number }> {
  return { teams: 0 };
}
