// The compaction figure alone: `node --experimental-strip-types bench/compaction-run.ts [runs]`.
// As in `npm run bench`, a big series is stored and analysed first, so the
// planner's statistics describe one huge series when the tiny ones arrive.
import { Pool } from "@neondatabase/serverless";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProject, signUp } from "./api.ts";
import { compactionBacklog } from "./compaction.ts";
import { cpuModel } from "./cpu.ts";
import { startBenchStack } from "./stack.ts";
import { storage } from "./storage.ts";
import { log } from "./stats.ts";

const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-compaction-"));
const stack = await startBenchStack({ dataDir, serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL, database: `sightline_compaction_${Date.now().toString(36)}`, log: () => {} });
const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
try {
  const api = await signUp(stack.url);
  const project = await createProject(api, "storage");
  await storage(api, pool, project, Number(process.env.BENCH_STORAGE_POINTS ?? 200_000));
  const figures = await compactionBacklog(api, pool, await createProject(api, "log-metric"), { runs: Number(process.argv[2] ?? 1000), points: 2 });
  log(`${JSON.stringify(figures)} [${cpuModel}]`);
} finally {
  await pool.end();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
