import { afterEach, describe, expect, it } from "vitest";
import { init } from "../sdk/index.ts";
import { countPoints, startFlakyServer, storedPoints, type FlakyServer } from "./helpers/flaky-server";

// How big the SDK's metric batches get: a loop logging faster than the sends
// complete gets fewer, bigger requests (up to the server's 10,000-point limit)
// instead of a queue of 1,000-point ones; a caller's batch.maxPoints still caps them.

const servers: FlakyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function logFast(batch?: { maxPoints: number }) {
  const s = await startFlakyServer();
  servers.push(s);
  const run = await init({ project: "p", baseUrl: s.url, apiKey: "sl_test", exitHooks: false, heartbeatSeconds: 0, onError: () => {}, batch });
  // Synchronous: no send can finish while the loop runs, so both slots stay busy.
  for (let step = 0; step < 30_000; step++) run.log({ loss: 1 / (step + 1), acc: step }, { step });
  await run.finish();
  return { s, sizes: [...s.stored.metrics.values()].map((b) => countPoints(b.metrics)) };
}

describe("SDK metric batch size", () => {
  it("grows batches while every send is busy, never past 10,000 points, losing nothing", async () => {
    const { s, sizes } = await logFast();
    expect(storedPoints(s)).toHaveLength(60_000);
    expect(new Set(storedPoints(s)).size).toBe(60_000);
    expect(Math.max(...sizes)).toBeGreaterThan(1_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10_000);
    // 60,000 points in 1,000-point batches would be 60 requests.
    expect(sizes.length).toBeLessThan(20);
  });

  it("keeps to batch.maxPoints when the caller sets it", async () => {
    const { s, sizes } = await logFast({ maxPoints: 500 });
    expect(storedPoints(s)).toHaveLength(60_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
  });
});
