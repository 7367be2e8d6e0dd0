// Where the Worker's CPU goes during ingest: a V8 CPU profile of workerd,
// taken through wrangler dev's inspector while 8 clients post 1,000-point
// batches, written to /tmp/ingest.cpuprofile (open it in Chrome DevTools) and
// summarised by self time. `node --experimental-strip-types bench/worker-profile.ts`
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { createProject, signUp, batchBody, createRun, lossAt } from "./api.ts";
import { startBenchStack } from "./stack.ts";
const dataDir = mkdtempSync(join(tmpdir(), "cpuprof-"));
const stack = await startBenchStack({ dataDir, database: `cpuprof_${Date.now().toString(36)}`, log: () => {} });
try {
  // wrangler dev was started with --inspector-port: find it on its command line.
  let port = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try { const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"); const i = cmd.indexOf("--inspector-port"); if (i >= 0 && cmd.includes("dev") && cmd.some((c) => c.includes(stack.url.split(":")[2]!))) port = Number(cmd[i + 1]); } catch {}
  }
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json() as any[];
  console.log("targets", targets.map((t) => t.title + " " + t.webSocketDebuggerUrl));
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((r) => ws.once("open", r));
  let id = 0; const pending = new Map<number, (v: any) => void>();
  ws.on("message", (d) => { const m = JSON.parse(String(d)); if (m.id && pending.has(m.id)) { pending.get(m.id)!(m.result); pending.delete(m.id); } });
  const call = (method: string, params: any = {}) => new Promise<any>((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
  const api = await signUp(stack.url);
  const project = await createProject(api, "p");
  const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => createRun(api, project, `r${i}`)));
  const keys = ["a", "b", "c", "d"];
  const bodies = runs.map(() => Array.from({ length: 60 }, (_, seq) => batchBody(seq, keys, seq * 250, 250, (_k, s) => lossAt(s))));
  await call("Profiler.enable"); await call("Profiler.setSamplingInterval", { interval: 200 }); await call("Profiler.start");
  const t0 = performance.now();
  await Promise.all(runs.map(async (r, c) => { for (const b of bodies[c]!) await api.post(`/api/v1/runs/${r}/metrics`, b); }));
  console.log("sent 480k points in", (performance.now() - t0).toFixed(0), "ms");
  const { profile } = await call("Profiler.stop");
  writeFileSync("/tmp/ingest.cpuprofile", JSON.stringify(profile));
  const self = new Map<string, number>(); const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const dt = profile.timeDeltas as number[]; const counts = new Map<number, number>();
  profile.samples.forEach((s: number, i: number) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)));
  let total = 0;
  for (const [nid, us] of counts) { const n: any = byId.get(nid); const cf = n.callFrame; const k = `${cf.functionName || "(anon)"} ${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber}`; self.set(k, (self.get(k) ?? 0) + us); total += us; }
  console.log("total sampled ms", (total / 1000).toFixed(0));
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 35)) console.log((us / 1000).toFixed(1).padStart(8), k);
  ws.close();
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
