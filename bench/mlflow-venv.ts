// The MLflow Python client in a venv cached under .sightline/, shared by the
// MLflow client tests (tests/mlflow-client.test.ts) and the MLflow bench.
// Rebuilt only when its marker names other pins. numpy and pandas come along
// because mlflow.data and mlflow.pyfunc import them.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = process.env.PYTHON ?? "python3";

export const MLFLOW_CLIENTS = [
  { major: 3, pin: "mlflow-skinny==3.17.2" },
  { major: 2, pin: "mlflow-skinny==2.22.5" },
] as const;

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

async function must(cmd: string, args: string[]): Promise<void> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${r.out}`);
}

// Returns the venv's python. It sees the system's pytest when python3 has one
// (nothing to download); otherwise pytest is installed into it.
export async function mlflowVenv(major: 2 | 3): Promise<string> {
  const { pin } = MLFLOW_CLIENTS.find((c) => c.major === major)!;
  const dir = join(ROOT, ".sightline", `mlflow-venv-${major}`);
  const py = join(dir, "bin", "python");
  const marker = join(dir, "sightline-pins");
  const pins = [pin, "numpy", "pandas"];
  if (existsSync(py) && existsSync(marker) && readFileSync(marker, "utf8").trim() === pins.join(" ")) return py;
  const hasPytest = (await exec(PYTHON, ["-m", "pytest", "--version"])).code === 0;
  if (!existsSync(py)) {
    rmSync(dir, { recursive: true, force: true });
    await must(PYTHON, ["-m", "venv", ...(hasPytest ? ["--system-site-packages"] : []), dir]);
  }
  await must(py, ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...pins, ...(hasPytest ? [] : ["pytest"])]);
  writeFileSync(marker, `${pins.join(" ")}\n`);
  return py;
}
