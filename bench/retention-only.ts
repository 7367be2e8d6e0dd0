// The retention figures alone, on a stack of their own (the full bench is long):
//   node --experimental-strip-types bench/retention-only.ts
// BENCH_QUICK=1 runs the small version (200 runs). Writes
// bench/out/retention[-quick].json like bench/run.ts does.
import { Pool } from "@neondatabase/serverless";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuModel } from "./cpu.ts";
import { benchRetention, describeRetention } from "./retention.ts";
import { startBenchStack } from "./stack.ts";
import { log } from "./stats.ts";

const quick = process.env.BENCH_QUICK === "1";
const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-"));
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const stack = await startBenchStack({
  dataDir,
  serverUrl,
  database: `sightline_bench_${Date.now().toString(36)}`,
  log: (line) => {
    if (process.env.BENCH_LOG) console.log(`  [stack] ${line}`);
  },
});
const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
let exitCode = 0;
try {
  const f = await benchRetention(stack.url, pool, quick);
  for (const line of describeRetention(f)) log(`${line}; ${cpuModel}, load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const outDir = fileURLToPath(new URL("./out/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, quick ? "retention-quick.json" : "retention.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...f }, null, 2)}\n`);
} catch (err) {
  exitCode = 1;
  console.error(`\nretention bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await pool.end().catch(() => {});
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
