import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { stack } from "./helpers/api";

// The real MLflow Python client from PyPI against this run's stack, as users
// run it: MLFLOW_TRACKING_URI and a token, nothing else changed. The same
// pytest suite (tests/mlflow-client/) runs under the current mlflow-skinny and
// the newest 2.x, each in a venv cached under .sightline/ and rebuilt only
// when its marker names other pins. numpy and pandas come along because
// mlflow.data and mlflow.pyfunc import them. Each pytest module signs up its
// own team through the native API.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = process.env.PYTHON ?? "python3";
const CLIENTS = [
  { major: 3, pin: "mlflow-skinny==3.17.2" },
  { major: 2, pin: "mlflow-skinny==2.22.5" },
];

type Outcome = { code: number | null; out: string };

function exec(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<Outcome> {
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

// A venv per client version. It sees the system's pytest when python3 has
// one (nothing to download); otherwise pytest is installed into it.
async function venv(pin: string, major: number): Promise<string> {
  const dir = join(ROOT, ".sightline", `mlflow-venv-${major}`);
  const py = join(dir, "bin", "python");
  const marker = join(dir, "sightline-pins");
  const pins = [pin, "numpy", "pandas"];
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === pins.join(" ") && existsSync(py)) return py;
  const hasPytest = (await exec(PYTHON, ["-m", "pytest", "--version"])).code === 0;
  if (!existsSync(py)) {
    rmSync(dir, { recursive: true, force: true });
    await must(PYTHON, ["-m", "venv", ...(hasPytest ? ["--system-site-packages"] : []), dir]);
  }
  await must(py, ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...pins, ...(hasPytest ? [] : ["pytest"])]);
  writeFileSync(marker, `${pins.join(" ")}\n`);
  return py;
}

const pythons = new Map<number, string>();

describe("MLflow Python client (pytest against the real stack)", () => {
  beforeAll(async () => {
    for (const c of CLIENTS) pythons.set(c.major, await venv(c.pin, c.major));
  }, 600_000);

  for (const c of CLIENTS) {
    it(`${c.pin} passes tests/mlflow-client`, { timeout: 240_000 }, async () => {
      const r = await exec(pythons.get(c.major)!, ["-m", "pytest", "tests/mlflow-client", "-q", "-p", "no:cacheprovider", "-rfE"], {
        SIGHTLINE_BASE_URL: stack().url,
        SIGHTLINE_MLFLOW_MAJOR: String(c.major),
        // A failure shows quickly instead of after MLflow's default retries (7, with backoff).
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1",
        MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "0",
        MLFLOW_HTTP_REQUEST_TIMEOUT: "60",
        // Each module sets its own tracking URI and credentials (conftest.py).
        MLFLOW_TRACKING_URI: "",
        MLFLOW_TRACKING_TOKEN: "",
        MLFLOW_TRACKING_USERNAME: "",
        MLFLOW_TRACKING_PASSWORD: "",
      });
      if (r.code !== 0) console.log(`--- ${c.pin} ---\n${r.out}`);
      expect(r.code, r.out.slice(-8000)).toBe(0);
    });
  }
});
