// Running python3 (and pip, pytest) from Node for the tests and the bench:
// output collected, a timeout, and no .pyc files left in the checkout.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const PYTHON = process.env.PYTHON ?? "python3";

export type Outcome = { code: number | null; out: string };

export function exec(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("error", reject);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

// Runs a command that must succeed, or throws with its output.
export async function must(cmd: string, args: string[]): Promise<void> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${r.out}`);
}
