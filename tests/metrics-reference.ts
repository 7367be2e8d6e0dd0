import type { Series } from "./metrics-helpers";
import { json, num } from "./metrics-helpers";

// A brute-force model of what the server should hold and answer, for
// comparing against on random data.
export type RefPoint = { step: number; value: number; time: number; seq: number };

export class Reference {
  readonly points = new Map<number, RefPoint>();

  // Batches may be applied in any order: a repeated step keeps the highest seq,
  // and within one batch the later element.
  apply(seq: number, s: Series) {
    s.steps.forEach((step, i) => {
      const old = this.points.get(step);
      if (old && old.seq > seq) return;
      this.points.set(step, { step, value: num(s.values[i]!), time: s.timestamps?.[i] ?? 0, seq });
    });
  }

  sorted(): RefPoint[] {
    return [...this.points.values()].sort((a, b) => a.step - b.step);
  }

  buckets(lo: number, hi: number, n: number, axis: "step" | "time" = "step") {
    const span = BigInt(hi - lo + 1);
    const out = new Map<number, { x0: number; x1: number; min: number | null; max: number | null; last: number; count: number; last_x: number; lastStep: number }>();
    for (const p of this.sorted()) {
      const x = axis === "step" ? p.step : p.time;
      if (x < lo || x > hi) continue;
      const b = Number((BigInt(x - lo) * BigInt(n)) / span);
      const cur = out.get(b) ?? { x0: x, x1: x, min: null, max: null, last: p.value, count: 0, last_x: x, lastStep: p.step };
      cur.count++;
      cur.x0 = Math.min(cur.x0, x);
      cur.x1 = Math.max(cur.x1, x);
      if (!Number.isNaN(p.value)) {
        cur.min = cur.min === null ? p.value : Math.min(cur.min, p.value);
        cur.max = cur.max === null ? p.value : Math.max(cur.max, p.value);
      }
      if (x > cur.last_x || (x === cur.last_x && p.step >= cur.lastStep)) {
        cur.last_x = x;
        cur.lastStep = p.step;
        cur.last = p.value;
      }
      out.set(b, cur);
    }
    return [...out.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, c]) => ({
        x0: c.x0,
        x1: c.x1,
        min: c.min === null ? null : json(c.min),
        max: c.max === null ? null : json(c.max),
        last: json(c.last),
        count: c.count,
        last_x: c.last_x,
      }));
  }
}

// Deterministic randomness, so a failure can be replayed.
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
