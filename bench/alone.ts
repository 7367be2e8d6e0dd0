// One bench section alone, on a stack of its own (the full bench is long):
// starts the stack, runs the section, prints its lines, writes
// bench/out/<name>[-quick].json like bench/run.ts does, and stops everything.
import { Pool } from "@neondatabase/serverless";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuModel } from "./cpu.ts";
import { startBenchStack, type BenchStack } from "./stack.ts";
import { log } from "./stats.ts";

export const quick = process.env.BENCH_QUICK === "1";

export async function runAlone<F extends object>(
  name: string,
  measure: (stack: BenchStack, pool: Pool) => Promise<F>,
  describe: (figures: F) => string[],
): Promise<never> {
  const dataDir = mkdtempSync(join(tmpdir(), "sightline-bench-"));
  const stack = await startBenchStack({
    dataDir,
    serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
    database: `sightline_bench_${Date.now().toString(36)}`,
    log: (line) => {
      if (process.env.BENCH_LOG) console.log(`  [stack] ${line}`);
    },
  });
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
  let exitCode = 0;
  try {
    const figures = await measure(stack, pool);
    for (const line of describe(figures)) log(`${line}; ${cpuModel}, load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    const outDir = fileURLToPath(new URL("./out/", import.meta.url));
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `${name}${quick ? "-quick" : ""}.json`), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...figures }, null, 2)}\n`);
  } catch (err) {
    exitCode = 1;
    console.error(`\n${name} bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await pool.end().catch(() => {});
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}
