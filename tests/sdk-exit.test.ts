import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { storedPoints, startFlakyServer, type FlakyServer } from "./helpers/flaky-server";

// A Node process that ends without run.finish() must not drop buffered
// points silently (sdk/node-exit.ts). Each case runs a real child process.

const child = fileURLToPath(new URL("./fixtures/sdk-exit-child.ts", import.meta.url));
const servers: FlakyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

type Outcome = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function runChild(url: string, mode: string, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--experimental-strip-types", "--no-warnings", child, url, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      onStdout?.(stdout, (s) => p.kill(s));
    });
    p.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    p.on("error", reject);
    p.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function server() {
  const s = await startFlakyServer();
  servers.push(s);
  return s;
}

describe("SDK exit hooks (Node)", () => {
  it("flushes and finishes the run when the script simply ends", async () => {
    const s = await server();
    const out = await runChild(s.url, "natural");
    expect(out.code, out.stderr).toBe(0);
    expect(storedPoints(s)).toHaveLength(2_500);
    expect(s.finished).toEqual([{ status: "finished", exit_code: 0 }]);
  });

  it("on SIGTERM flushes within the deadline, marks the run killed and still dies by the signal", async () => {
    const s = await server();
    let sent = false;
    const out = await runChild(s.url, "signal", (text, kill) => {
      if (!sent && text.includes("ready")) {
        sent = true;
        kill("SIGTERM");
      }
    });
    expect(out.signal, out.stderr).toBe("SIGTERM");
    expect(storedPoints(s)).toHaveLength(2_500);
    expect(s.finished).toEqual([{ status: "killed", exit_code: 143 }]);
  });

  it("on an uncaught exception marks the run failed, prints the error and exits 1", async () => {
    const s = await server();
    const out = await runChild(s.url, "throw");
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("boom in training");
    expect(storedPoints(s)).toHaveLength(2_500);
    expect(s.finished).toEqual([{ status: "failed", exit_code: 1 }]);
  });

  it("warns with the count when process.exit() leaves points unsent", async () => {
    const s = await server();
    const out = await runChild(s.url, "exit");
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/run run_flaky exited with 2500 points\/lines NOT sent/);
  });
});
