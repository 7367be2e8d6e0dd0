// The Python SDK's figures (issue 10): run.log() µs per call with 10 keys,
// points/s stored from one process and from 16, and the journal's overhead.
// The work is python/bench/log_bench.py; this runs it against the bench's stack.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../python/bench/log_bench.py", import.meta.url));

export type PythonFigures = Record<string, number>;

export function benchPythonSdk(url: string, quick: boolean): Promise<PythonFigures> {
  const args = [SCRIPT, "--base-url", url, "--json", ...(quick ? ["--steps", "2000", "--procs", "4", "--repeat", "1"] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.env.PYTHON ?? "python3", args, { maxBuffer: 1 << 20, timeout: 600_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`python bench failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()!) as PythonFigures);
    });
  });
}

export function describePython(f: PythonFigures): string[] {
  const procs = Object.keys(f).find((k) => /^points_per_s_\d+procs$/.test(k))!;
  return [
    `python sdk: run.log() with 10 keys: p50 ${f.log_us_p50} µs, p99 ${f.log_us_p99} µs`,
    `python sdk: 1 process ${f.points_per_s_1proc?.toLocaleString("en")} points/s stored; ${procs.match(/\d+/)![0]} processes ${f[procs]?.toLocaleString("en")} points/s; journal overhead ×${f.journal_overhead_ratio} (fsync per batch)`,
  ];
}
