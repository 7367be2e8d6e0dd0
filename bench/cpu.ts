// CPU time per process while a figure is measured: the workerd processes, the
// relay (a child process, bench/stack.ts), Postgres (when the bench started
// it), the wrangler supervisor, and this process (the bench client; the S3
// store also lives here but is idle during the metric figures). Read from
// /proc/<pid>/stat (utime + stime, and for Postgres' postmaster its reaped
// children's cutime + cstime, so backends that exit are still counted), and
// beside it the machine's own busy time from /proc/stat: what the other
// processes on a shared machine took is reported, not hidden.
import { readFileSync, readdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";

// Linux reports these in clock ticks; USER_HZ is 100 on x86-64 and arm64 (getconf CLK_TCK).
const TICK_S = 1 / 100;

type Proc = { pid: number; ppid: number; comm: string; ticks: number; reaped: number };
export type Sample = { at: number; self: NodeJS.CpuUsage; procs: Map<number, Proc>; machine: { busy: number; total: number } };

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(")");
    const f = stat.slice(close + 2).split(" ");
    // After "(comm) ": state, ppid, …; utime, stime, cutime, cstime are the 14th to 17th fields of the line.
    out.set(Number(name), {
      pid: Number(name),
      ppid: Number(f[1]),
      comm: stat.slice(stat.indexOf("(") + 1, close),
      ticks: Number(f[11]) + Number(f[12]),
      reaped: Number(f[13]) + Number(f[14]),
    });
  }
  return out;
}

function readMachine(): { busy: number; total: number } {
  const [, ...v] = readFileSync("/proc/stat", "latin1").split("\n")[0]!.trim().split(/\s+/);
  const n = v.slice(0, 8).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - n[3]! - n[4]!, total };
}

export function sample(): Sample {
  return { at: performance.now(), self: process.cpuUsage(), procs: readProcs(), machine: readMachine() };
}

export const cpuModel = (() => {
  const list = cpus();
  return `${list[0]?.model.trim() ?? "unknown CPU"} × ${list.length}`;
})();

export type CpuFigures = {
  wall_s: number;
  // CPU seconds per group, and µs per point when points are given.
  cpu_s: Record<string, number>;
  us_per_point: Record<string, number>;
  // Busy cores of the whole machine while measuring, and the part not ours.
  machine_busy_cores: number;
  others_busy_cores: number;
  load: number[];
};

function descendants(procs: Map<number, Proc>, root: number): Set<number> {
  const kids = new Map<number, number[]>();
  for (const p of procs.values()) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p.pid]);
  const out = new Set<number>();
  const stack = [root];
  while (stack.length > 0) for (const k of kids.get(stack.pop()!) ?? []) if (!out.has(k)) stack.push(k), out.add(k);
  return out;
}

function group(p: Proc, relayPid: number): string {
  if (p.pid === relayPid) return "relay";
  if (p.comm.startsWith("workerd")) return `workerd ${p.pid}`;
  if (p.comm === "postgres") return "postgres";
  if (p.comm === "esbuild") return "esbuild (wrangler's watcher)";
  return p.comm === "node" || p.comm === "MainThread" ? "wrangler (node)" : `other (${p.comm})`;
}

export function cpuBetween(a: Sample, b: Sample, relayPid: number, points = 0): CpuFigures {
  const wall = (b.at - a.at) / 1000;
  const cpu: Record<string, number> = { "bench client": (b.self.user + b.self.system - a.self.user - a.self.system) / 1e6 };
  for (const pid of descendants(b.procs, process.pid)) {
    const now = b.procs.get(pid)!;
    const then = a.procs.get(pid);
    let ticks = now.ticks - (then?.ticks ?? 0);
    if (now.comm === "postgres") ticks += now.reaped - (then?.reaped ?? 0);
    const g = group(now, relayPid);
    cpu[g] = (cpu[g] ?? 0) + ticks * TICK_S;
  }
  // workerd processes by name, busiest first: "workerd" (the app) and "workerd 2", …
  const workerds = Object.keys(cpu).filter((k) => k.startsWith("workerd ")).sort((x, y) => cpu[y]! - cpu[x]!);
  workerds.forEach((k, i) => {
    const name = i === 0 ? "workerd" : `workerd ${i + 1}`;
    const v = cpu[k]!;
    delete cpu[k];
    cpu[name] = v;
  });
  for (const k of Object.keys(cpu)) if (cpu[k]! < 0.005 && k !== "bench client") delete cpu[k];
  const ours = Object.values(cpu).reduce((x, y) => x + y, 0);
  cpu["all of the above"] = ours;
  const machineBusy = ((b.machine.busy - a.machine.busy) * TICK_S) / wall;
  const us: Record<string, number> = {};
  if (points > 0) for (const [k, v] of Object.entries(cpu)) us[k] = Math.round((v * 1e6 * 10) / points) / 10;
  return {
    wall_s: Math.round(wall * 100) / 100,
    cpu_s: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v * 100) / 100])),
    us_per_point: us,
    machine_busy_cores: Math.round(machineBusy * 100) / 100,
    others_busy_cores: Math.round(Math.max(0, machineBusy - ours / wall) * 100) / 100,
    load: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function describeCpu(label: string, f: CpuFigures): string {
  const parts = Object.entries(f.us_per_point).map(([k, v]) => `${k} ${v}`);
  return `${label}: CPU µs/point ${parts.join(", ")}; machine busy ${f.machine_busy_cores} cores (${f.others_busy_cores} not ours), load ${f.load.join(" ")} [${cpuModel}]`;
}

// One row per measured figure, one column per process: µs of CPU per point.
export function printCpu(rows: { name: string; pts: number; cpu: CpuFigures }[]): void {
  const procs = [...new Set(rows.flatMap((r) => Object.keys(r.cpu.us_per_point)))].sort((a, b) => (a === "all of the above" ? 1 : b === "all of the above" ? -1 : a.localeCompare(b)));
  const head = ["CPU µs per point", "pts/s", ...procs.map((p) => (p === "all of the above" ? "total" : p)), "machine busy (not ours)", "load 1m"];
  const cells = rows.map((r) => [
    r.name,
    Math.round(r.pts).toLocaleString("en-US"),
    ...procs.map((p) => (r.cpu.us_per_point[p] === undefined ? "-" : String(r.cpu.us_per_point[p]))),
    `${r.cpu.machine_busy_cores} (${r.cpu.others_busy_cores}) cores`,
    String(r.cpu.load[0]),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ");
  console.log(`\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const c of cells) console.log(line(c));
  console.log(`(${cpuModel}; workerd processes busiest first (wrangler dev runs the app's and an entry proxy); target ≤ 4 µs a point in all for 500,000 pts/s on 2 cores)\n`);
}
