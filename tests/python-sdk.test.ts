import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exec, must, PYTHON, ROOT } from "../local/python-exec.ts";
import { stack } from "./helpers/api";

// The Python SDK under pytest, against this run's stack: installed the way a
// user installs it (`pip install ./python`, offline: its build backend is in
// the standard library) into a cached venv, then python/tests run with the
// stack's URL. Each pytest module signs up its own team.

const VENV = join(ROOT, ".sightline", "python-venv");
const PY = join(VENV, "bin", "python");
const TARGET = join(ROOT, ".sightline", "python-target");

const PIP = ["-m", "pip", "install", "-q", "--no-deps", "--no-index", "--disable-pip-version-check"];

// A venv that sees the system's pytest when python3 has one (nothing to
// download); otherwise pytest is installed into it once. Where python3 has no
// venv module (Debian without python3-venv), the package goes into a target
// folder on PYTHONPATH instead.
async function install(): Promise<{ py: string; env: Record<string, string> }> {
  const hasPytest = (await exec(PYTHON, ["-m", "pytest", "--version"])).code === 0;
  if (!existsSync(PY)) {
    const made = await exec(PYTHON, ["-m", "venv", ...(hasPytest ? ["--system-site-packages"] : []), VENV]);
    if (made.code !== 0 && hasPytest) {
      await must(PYTHON, [...PIP, "--upgrade", "--target", TARGET, "./python"]);
      return { py: PYTHON, env: { PYTHONPATH: TARGET, PATH: `${join(TARGET, "bin")}:${process.env.PATH}` } };
    }
    if (made.code !== 0) throw new Error(`python3 -m venv failed:\n${made.out}`);
    if (!hasPytest) await must(PY, ["-m", "pip", "install", "-q", "pytest"]);
  }
  await must(PY, [...PIP, "--force-reinstall", "./python"]);
  return { py: PY, env: {} };
}

describe("Python SDK (pytest against the real stack)", () => {
  it("installs with pip install ./python and passes python/tests", { timeout: 300_000 }, async () => {
    const { py, env } = await install();
    const r = await exec(py, ["-m", "pytest", "python/tests", "-q", "-p", "no:cacheprovider"], {
      ...env,
      SIGHTLINE_BASE_URL: stack().url,
      SIGHTLINE_API_KEY: "",
    });
    if (r.code !== 0) console.log(r.out);
    expect(r.code, r.out.slice(-8000)).toBe(0);
  });
});
