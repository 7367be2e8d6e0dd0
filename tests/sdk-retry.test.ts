import { afterEach, describe, expect, it } from "vitest";
import { init, type InitOptions } from "../sdk/index.ts";
import { storedPoints, startFlakyServer, type Fault, type FlakyServer } from "./helpers/flaky-server";

// The SDK's batching and retry logic against a local server that fails on
// purpose. The real stack is covered by tests/sdk.test.ts.

const servers: FlakyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function flaky(fault?: (r: { seq: number; path: string }) => Fault, retryAfter?: string) {
  const s = await startFlakyServer({ fault, retryAfter });
  servers.push(s);
  return s;
}

const fast = (s: FlakyServer, extra: Partial<InitOptions> = {}): InitOptions => ({
  project: "p",
  baseUrl: s.url,
  apiKey: "sl_test",
  exitHooks: false,
  heartbeatSeconds: 0,
  retry: { baseDelayMs: 2, maxDelayMs: 20 },
  timeoutMs: 2_000,
  onError: () => {},
  ...extra,
});

// Deterministic "random" faults, so a failure can be replayed.
function seeded(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe("SDK batching and retries", () => {
  it("survives 429, 503 and dropped connections, reusing each batch's seq: nothing lost or doubled", async () => {
    const rnd = seeded(7);
    const faults: Fault[] = ["429", "503", "drop", "drop-after-store"];
    const s = await flaky(() => (rnd() < 0.4 ? faults[Math.floor(rnd() * faults.length)]! : "ok"));
    const run = await init(fast(s, { batch: { maxPoints: 500, maxInFlight: 3 } }));
    const expected: string[] = [];
    const specials = [NaN, Infinity, -Infinity];
    for (let step = 0; step < 5_000; step++) {
      const row = { loss: 1 / (step + 1), acc: step % 97 === 0 ? specials[step % 3]! : step / 5_000, "train/lr": 0.1, "eval x": step };
      run.log(row, { step });
      for (const [k, v] of Object.entries(row)) expected.push(`${k}@${step}=${Number.isFinite(v) ? v : String(v)}`);
    }
    const final = await run.finish();
    expect(final.status).toBe("finished");

    const got = storedPoints(s);
    expect(got.length).toBe(20_000);
    expect(new Set(got).size).toBe(20_000);
    expect(got.sort()).toEqual(expected.sort());
    // Batches are numbered 0…n-1 with no gaps, and every fault was retried with the same seq.
    const seqs = [...s.stored.metrics.keys()].sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const failed = s.received.filter((r) => r.fault !== "ok");
    expect(failed.length).toBeGreaterThan(10);
    for (const f of failed) expect(s.received.some((r) => r.seq === f.seq && r.at >= f.at && r !== f)).toBe(true);
    expect(run.stats().metrics).toMatchObject({ sent: 20_000, rejected: 0, dropped: 0, unsent: 0 });
    expect(run.errors).toEqual([]);
    expect(s.received.every((r) => r.gzipped)).toBe(true);
  });

  it("honours Retry-After on a 429", async () => {
    let first = true;
    const s = await flaky(() => (first ? ((first = false), "429") : "ok"), "1");
    const run = await init(fast(s));
    run.log({ loss: 1 });
    await run.finish();
    const [a, b] = s.received;
    expect(a!.seq).toBe(0);
    expect(b!.seq).toBe(0);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
    expect(s.stored.metrics.size).toBe(1);
  });

  it("surfaces a 400 once through onError and run.errors instead of retrying it", async () => {
    const s = await flaky((r) => (r.seq === 1 ? "400" : "ok"));
    const seen: string[] = [];
    const run = await init(fast(s, { batch: { maxPoints: 10 }, onError: (e) => seen.push(e.code) }));
    for (let i = 0; i < 30; i++) run.log({ loss: i });
    await run.finish();
    expect(s.received.filter((r) => r.seq === 1)).toHaveLength(1);
    expect(seen).toEqual(["invalid_argument"]);
    expect(run.errors[0]?.status).toBe(400);
    expect(run.stats().metrics).toMatchObject({ sent: 20, rejected: 10, unsent: 0 });
    expect([...s.stored.metrics.keys()].sort()).toEqual([0, 2]);
  });

  it("caps buffered points: past the cap log() still returns at once, and drops are counted and reported", async () => {
    const s = await flaky(() => "503");
    const codes: string[] = [];
    const run = await init(fast(s, { batch: { maxPoints: 10, maxBufferedPoints: 100 }, onError: (e) => codes.push(e.code) }));
    const t0 = performance.now();
    for (let i = 0; i < 150; i++) run.log({ loss: i });
    expect(performance.now() - t0).toBeLessThan(50);
    expect(run.stats().metrics).toMatchObject({ dropped: 50, unsent: 100 });
    expect(codes).toContain("points_dropped");
    await run.finish({ timeoutMs: 300 });
    expect(codes).toContain("unsent");
    expect(run.pendingPoints()).toBe(100);
  });

  it("auto-increments steps, flattens nested keys, encodes non-finite values and skips bad keys", async () => {
    const s = await flaky();
    const codes: string[] = [];
    const run = await init(fast(s, { onError: (e) => codes.push(e.message) }));
    run.log({ a: 1 });
    run.log({ a: NaN, train: { loss: -Infinity } });
    run.log({ a: 3 }, { step: 10 });
    run.log({ a: Infinity, " bad": 1, note: "text" as unknown as number });
    await run.finish();
    const batch = s.stored.metrics.get(0);
    expect(batch.metrics.a.steps).toEqual([0, 1, 10, 11]);
    expect(batch.metrics.a.values).toEqual([1, "NaN", 3, "Infinity"]);
    expect(batch.metrics["train/loss"]).toMatchObject({ steps: [1], values: ["-Infinity"] });
    expect(Object.keys(batch.metrics).sort()).toEqual(["a", "train/loss"]);
    expect(codes).toHaveLength(2);
    expect(codes.join()).toMatch(/" bad"/);
    expect(s.finished).toEqual([{ status: "finished" }]);
  });

  it("batches console lines with their own seq, retried like metrics", async () => {
    let n = 0;
    const s = await flaky((r) => (r.path.endsWith("/logs") && n++ % 2 === 0 ? "drop" : "ok"));
    const run = await init(fast(s));
    run.logConsole("epoch 1\nepoch 2\n");
    run.logConsole("oops", "stderr");
    await run.finish({ status: "failed", exitCode: 3 });
    expect(s.stored.logs.get(0).lines.map((l: any) => [l.text, l.stream])).toEqual([
      ["epoch 1", "stdout"],
      ["epoch 2", "stdout"],
      ["oops", "stderr"],
    ]);
    expect(s.received.filter((r) => r.path.endsWith("/logs")).map((r) => r.seq)).toEqual([0, 0]);
    expect(s.finished).toEqual([{ status: "failed", exit_code: 3 }]);
  });

  it("abandons a hung request at the per-try timeout and retries it", async () => {
    let first = true;
    const s = await flaky(() => (first ? ((first = false), "hang") : "ok"));
    const run = await init(fast(s, { timeoutMs: 200 }));
    run.log({ loss: 1 });
    await run.finish();
    expect(s.received.map((r) => r.fault)).toEqual(["hang", "ok"]);
    expect(s.stored.metrics.size).toBe(1);
  });
});
