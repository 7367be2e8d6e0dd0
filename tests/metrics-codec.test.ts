// The chunk codec on its own: every column form round-trips exactly, the
// packed form keeps jittered Date.now() stamps small, and payloads written
// before the packed form existed still decode.
import { describe, expect, test } from "vitest";
import { allocPoints, asBytes, decodeChunk, encodeChunk, type Points } from "../worker/services/metrics/codec";

function points(rows: [step: number, time: number, value: number, seq: number][]): Points {
  const p = allocPoints(rows.length);
  rows.forEach(([s, t, v, q], i) => {
    p.steps[i] = s;
    p.times[i] = t;
    p.values[i] = v;
    p.seqs[i] = q;
  });
  return p;
}

const same = (a: Points, b: Points) => {
  expect(b.n).toBe(a.n);
  for (const col of ["steps", "times", "values", "seqs"] as const) expect(Array.from(b[col])).toEqual(Array.from(a[col]));
};

// A deterministic stream of SDK-like stamps: one step every `base` ms, each stamp off by up to ±jitter ms.
function sdkLike(n: number, base: number, jitter: number, seed: number): Points {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return points(Array.from({ length: n }, (_, i) => [i * 3, 1.7e12 + i * base + Math.round((rnd() * 2 - 1) * jitter), 2 * Math.exp(-i / 1e4) + 0.05 * rnd(), 9]));
}

describe("metric chunk codec", () => {
  test("jittered stamps round-trip and cost under one byte a point", () => {
    for (const [base, jitter] of [[50, 20], [100, 20], [1000, 3], [20, 3]] as const) {
      const p = sdkLike(128, base, jitter, base + jitter);
      const bytes = encodeChunk(p);
      same(p, decodeChunk(bytes));
      // float64 values take 8; steps, seqs and the header about 10 bytes a chunk.
      expect(bytes.length / 128).toBeLessThan(8 + 1 + 0.1);
    }
  });

  test("irregular, descending and huge deltas, NaN and ±Infinity, float32 values round-trip", () => {
    const cases = [
      points([[0, 5e12, 1, 1], [1, 1e3, NaN, 1], [2, 4.5e15, Infinity, 2], [2 ** 53 - 1, 0, -Infinity, 2 ** 40]]),
      points(Array.from({ length: 200 }, (_, i) => [i * i, 1.7e12 - i * 7 + (i % 5) * 1000, Math.fround(i / 3), 1 + (i >> 4)])),
      points(Array.from({ length: 128 }, (_, i) => [i, 1.7e12 + (i % 2) * 2 ** 30, i, 1])),
      points([[7, 1.7e12, 0.5, 0]]),
      points([]),
    ];
    for (const p of cases) same(p, decodeChunk(encodeChunk(p)));
  });

  test("payloads written before the packed form decode unchanged", () => {
    // Made by the encoder as of commit 27f3abf (varint and RLE forms only).
    const old = asBytes("\\x000600020206020680a0abfef962c201e20127de01d0010203030304000000000000e03f000000000000d03f000000000000f87f000000000000f07f00000000000000c095d626e80b2e113e");
    same(points([[0, 1.7e12, 0.5, 3], [1, 1.7e12 + 97, 0.25, 3], [2, 1.7e12 + 210, NaN, 3], [5, 1.7e12 + 190, Infinity, 4], [6, 1.7e12 + 301, -2, 4], [9, 1.7e12 + 405, 1e-9, 4]]), decodeChunk(old));
    const rle = asBytes("\\x07040201140302020180a0abfef9620364010401000000000000003f0000803f0000c03f");
    same(points([[10, 1.7e12, 0, 1], [11, 1.7e12 + 50, 0.5, 1], [12, 1.7e12 + 100, 1, 1], [13, 1.7e12 + 150, 1.5, 1]]), decodeChunk(rle));
  });

  test("a cut-off payload is refused, not read past its end", () => {
    const bytes = encodeChunk(sdkLike(64, 100, 20, 1));
    expect(() => decodeChunk(bytes.subarray(0, 30))).toThrow(/truncated|corrupt/);
  });
});
