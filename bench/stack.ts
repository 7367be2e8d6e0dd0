// The stack the bench measures: local/stack.ts's, except that the Worker
// reaches Postgres through a relay in a child process (the same code as the
// in-process one), so each process's CPU can be counted on its own. The
// embedded server is started here (not by startStack) so its address is known
// before the Worker is told where its relay is.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "../local/embedded-postgres.ts";
import { startStack, type Stack } from "../local/stack.ts";

export type BenchStack = Stack & { relayPid: number; postgres: "embedded" | string };

export async function startBenchStack(opts: { dataDir: string; serverUrl?: string; database: string; log: (line: string) => void }): Promise<BenchStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((e) => opts.log(`stop: ${String(e)}`));
  };
  try {
    let serverUrl = opts.serverUrl;
    if (!serverUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: join(opts.dataDir, "pg"), log: opts.log });
      stops.push(pg.stop);
      serverUrl = pg.url;
    }
    const u = new URL(serverUrl);
    const relay = await startRelayProcess(u.hostname, Number(u.port || 5432));
    stops.push(relay.stop);
    const stack = await startStack({
      dataDir: opts.dataDir,
      databaseUrl: serverUrl,
      freshDatabase: opts.database,
      appEnv: "development",
      // Teams start on enterprise, so the plan's rate limits do not cap what is measured.
      vars: { NEON_WS_PROXY: relay.wsProxy, DEFAULT_PLAN: "enterprise" },
      log: opts.log,
    });
    stops.push(stack.stop);
    return { ...stack, relayPid: relay.pid, postgres: opts.serverUrl ? u.host : "embedded", stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startRelayProcess(host: string, port: number): Promise<{ pid: number; wsProxy: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL("./relay-process.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--experimental-strip-types", "--no-warnings", script, host, String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`relay process exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  const { wsProxy } = JSON.parse(line) as { wsProxy: string };
  return {
    pid: child.pid!,
    wsProxy,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
