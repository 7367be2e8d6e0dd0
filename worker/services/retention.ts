import type { Db } from "../lib/db";
import type { Storage } from "../lib/storage";

// Cron: deletes runs past their plan's (or project's shorter) retention, in
// bounded batches. Filled in by issue 11's retention work.
export async function runRetention(_db: Db, _storage: () => Storage): Promise<{ runs: number }> {
  return { runs: 0 };
}
