import { beforeAll, describe, expect, it } from "vitest";
import { MLFLOW_CLIENTS, exec, mlflowVenv } from "../bench/mlflow-venv.ts";
import { stack } from "./helpers/api";

// The real MLflow Python client from PyPI against this run's stack, as users
// run it: MLFLOW_TRACKING_URI and a token, nothing else changed. The same
// pytest suite (tests/mlflow-client/) runs under the current mlflow-skinny and
// the newest 2.x, each in a venv cached under .sightline/ (bench/mlflow-venv.ts,
// shared with the MLflow bench). Each pytest module signs up its own team
// through the native API.

const pythons = new Map<number, string>();

describe("MLflow Python client (pytest against the real stack)", () => {
  beforeAll(async () => {
    for (const c of MLFLOW_CLIENTS) pythons.set(c.major, await mlflowVenv(c.major));
  }, 600_000);

  for (const c of MLFLOW_CLIENTS) {
    it(`${c.pin} passes tests/mlflow-client`, { timeout: 240_000 }, async () => {
      const r = await exec(pythons.get(c.major)!, ["-m", "pytest", "tests/mlflow-client", "-q", "-p", "no:cacheprovider", "-rfE"], {
        SIGHTLINE_BASE_URL: stack().url,
        // A failure shows quickly instead of after MLflow's default retries (7, with backoff).
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1",
        MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "0",
        MLFLOW_HTTP_REQUEST_TIMEOUT: "60",
        // Each module sets its own tracking URI and credentials (conftest.py).
        MLFLOW_TRACKING_URI: "",
        MLFLOW_TRACKING_TOKEN: "",
        MLFLOW_TRACKING_USERNAME: "",
        MLFLOW_TRACKING_PASSWORD: "",
      }, 230_000);
      if (r.code !== 0) console.log(`--- ${c.pin} ---\n${r.out}`);
      else console.log(`${c.pin}: ${r.out.trim().split("\n").pop()}`);
      expect(r.code, r.out.slice(-8000)).toBe(0);
      expect(r.out).toMatch(/\b\d{2,} passed/); // the suite ran, not an empty collection
    });
  }
});
