import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { stack } from "./helpers/api";

// The Python SDK under pytest, against this run's stack: installed the way a
// user installs it (`pip install ./python`, offline: its build backend is in
// the standard library) into a cached venv, then python/tests run with the
// stack's URL. Each pytest module signs up its own team.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const VENV = join(ROOT, ".sightline", "python-venv");
const PY = join(VENV, "bin", "python");
const PYTHON = process.env.PYTHON ?? "python3";

type Outcome = { code: number | null; out: string };

function exec(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 240_000): Promise<Outcome> {
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

async function must(cmd: string, args: string[]): Promise<void> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${r.out}`);
}

// A venv that sees the system's pytest when python3 has one (nothing to
// download); otherwise pytest is installed into it once.
async function venv(): Promise<void> {
  if (existsSync(PY)) return;
  const hasPytest = (await exec(PYTHON, ["-m", "pytest", "--version"])).code === 0;
  await must(PYTHON, ["-m", "venv", ...(hasPytest ? ["--system-site-packages"] : []), VENV]);
  if (!hasPytest) await must(PY, ["-m", "pip", "install", "-q", "pytest"]);
}

describe("Python SDK (pytest against the real stack)", () => {
  it("installs with pip install ./python and passes python/tests", { timeout: 300_000 }, async () => {
    await venv();
    await must(PY, ["-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall", "--disable-pip-version-check", "./python"]);
    const r = await exec(PY, ["-m", "pytest", "python/tests", "-q", "-p", "no:cacheprovider"], {
      SIGHTLINE_BASE_URL: stack().url,
      SIGHTLINE_API_KEY: "",
    });
    if (r.code !== 0) console.log(r.out);
    expect(r.code, r.out.slice(-8000)).toBe(0);
  });
});
