// The MLflow figures alone, on a stack of their own (the full bench is long):
//   node --experimental-strip-types bench/mlflow-only.ts
// BENCH_QUICK=1 runs the small version. Writes bench/out/mlflow[-quick].json
// like bench/run.ts does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signUp } from "./api.ts";
import { cpuModel } from "./cpu.ts";
import { benchMlflow, describeMlflow } from "./mlflow.ts";
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
let exitCode = 0;
try {
  const mlf = await benchMlflow(await signUp(stack.url), quick, stack.relayPid);
  for (const line of describeMlflow(mlf)) log(`${line}; ${cpuModel}, load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const outDir = fileURLToPath(new URL("./out/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, quick ? "mlflow-quick.json" : "mlflow.json"), `${JSON.stringify({ cpu_model: cpuModel, load: loadavg(), ...mlf }, null, 2)}\n`);
} catch (err) {
  exitCode = 1;
  console.error(`\nmlflow bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
