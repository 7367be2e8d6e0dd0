// The MLflow Python client in a venv cached under .sightline/, shared by the
// MLflow client tests (tests/mlflow-client.test.ts) and the MLflow bench.
// Rebuilt only when its marker names other pins. numpy and pandas come along
// because mlflow.data and mlflow.pyfunc import them.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exec, must, PYTHON, ROOT } from "../local/python-exec.ts";

export { exec, ROOT };

export const MLFLOW_CLIENTS = [
  { major: 3, pin: "mlflow-skinny==3.17.2" },
  { major: 2, pin: "mlflow-skinny==2.22.5" },
] as const;

// Returns the venv's python. It sees the system's pytest when python3 has one
// (nothing to download); otherwise pytest is installed into it.
export async function mlflowVenv(major: 2 | 3): Promise<string> {
  const { pin } = MLFLOW_CLIENTS.find((c) => c.major === major)!;
  const dir = join(ROOT, ".sightline", `mlflow-venv-${major}`);
  const py = join(dir, "bin", "python");
  const marker = join(dir, "sightline-pins");
  const pins = [pin, "numpy==2.4.6", "pandas==3.1.1"];
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
