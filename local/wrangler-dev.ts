import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { freePort } from "./ports.ts";

const require = createRequire(import.meta.url);

// Runs the Worker in workerd through `wrangler dev`, exactly as a developer would.
export async function startWranglerDev(opts: {
  root: string;
  port?: number;
  persistDir: string;
  vars: Record<string, string>;
  log: (line: string) => void;
}): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = opts.port ?? (await freePort());
  const inspectorPort = await freePort();
  const bin = join(require.resolve("wrangler/package.json"), "..", "bin", "wrangler.js");
  const args = [
    bin,
    "dev",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--inspector-port", String(inspectorPort),
    "--persist-to", opts.persistDir,
    "--show-interactive-dev-session=false",
    "--test-scheduled",
    "--log-level", "warn",
  ];
  for (const [k, v] of Object.entries(opts.vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(process.execPath, args, {
    cwd: opts.root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const forward = (buf: Buffer) => {
    for (const line of buf.toString().split("\n")) if (line.trim()) opts.log(line);
  };
  child.stdout!.on("data", forward);
  child.stderr!.on("data", forward);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, 90_000);
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        try {
          process.kill(-child.pid!, "SIGTERM");
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {}
        }, 5000).unref();
      }),
  };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) {
        const body = (await res.json()) as { database?: string };
        if (body.database === "ok") return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer ${url}/api/health within ${timeoutMs / 1000} s`);
}
