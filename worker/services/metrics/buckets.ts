import { sql } from "drizzle-orm";
import { asBytes, decodeChunk, type Points } from "./codec";
import { mergePoints } from "./merge";
import { toJsonOrNull, toJsonValue } from "./summary";
import { int, numArray, rows, type Q } from "./sql";

export type Axis = "step" | "time";

// Where a bucket read spent its time, for the route's Server-Timing header.
export type BucketTiming = { sql: number; decode: number; rows: number };

// Per-bucket aggregates of one series, in arrays indexed by bucket.
export class BucketAcc {
  readonly count: Float64Array;
  readonly x0: Float64Array;
  readonly x1: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly last: Float64Array;
  readonly lastX: Float64Array;
  readonly lastStep: Float64Array;
  // Whether the bucket saw a non-NaN value (min may legitimately be +Infinity).
  readonly real: Uint8Array;
  constructor(readonly n: number) {
    this.count = new Float64Array(n);
    this.x0 = new Float64Array(n).fill(Infinity);
    this.x1 = new Float64Array(n).fill(-Infinity);
    this.min = new Float64Array(n).fill(Infinity);
    this.max = new Float64Array(n).fill(-Infinity);
    this.last = new Float64Array(n);
    this.lastX = new Float64Array(n).fill(-Infinity);
    this.lastStep = new Float64Array(n).fill(-Infinity);
    this.real = new Uint8Array(n);
  }

  // The non-empty buckets as the API sends them (live reads and frozen snapshots alike).
  toJson() {
    const points = [];
    for (let b = 0; b < this.n; b++) {
      if (this.count[b] === 0) continue;
      points.push({
        x0: this.x0[b]!,
        x1: this.x1[b]!,
        min: toJsonOrNull(this.minOf(b)),
        max: toJsonOrNull(this.maxOf(b)),
        last: toJsonValue(this.last[b]!),
        count: this.count[b]!,
        last_x: this.lastX[b]!,
      });
    }
    return points;
  }

  minOf = (b: number): number | null => (this.real[b] ? this.min[b]! : null);
  maxOf = (b: number): number | null => (this.real[b] ? this.max[b]! : null);

  add(b: number, x0: number, x1: number, count: number, min: number | null, max: number | null, last: number, lastStep: number) {
    this.count[b]! += count;
    if (x0 < this.x0[b]!) this.x0[b] = x0;
    if (x1 > this.x1[b]!) this.x1[b] = x1;
    if (min !== null) this.real[b] = 1;
    if (min !== null && min < this.min[b]!) this.min[b] = min;
    if (max !== null && max > this.max[b]!) this.max[b] = max;
    // The bucket's last value: at its largest x, ties (time axis) to the larger step.
    if (x1 > this.lastX[b]! || (x1 === this.lastX[b] && lastStep > this.lastStep[b]!)) {
      this.lastX[b] = x1;
      this.lastStep[b] = lastStep;
      this.last[b] = last;
    }
  }

  // Points come sorted by step, so on the step axis (and mostly on the time
  // axis) the bucket only moves forward: walk it, and search only on a step back.
  addPoints(p: Points, axis: Axis, bounds: Float64Array) {
    const xs = axis === "step" ? p.steps : p.times;
    const lo = bounds[0]!;
    const end = bounds[this.n]!;
    const n = this.n;
    let b = -1;
    for (let i = 0; i < p.n; i++) {
      const x = xs[i]!;
      if (x < lo || x >= end) continue;
      // A far jump (sparse points, or the first one) is a binary search too.
      if (b < 0 || x < bounds[b]! || (b + 8 < n && x >= bounds[b + 8]!)) b = bucketOf(bounds, n, x);
      else while (x >= bounds[b + 1]!) b++;
      const v = p.values[i]!;
      const step = p.steps[i]!;
      this.count[b]!++;
      if (x < this.x0[b]!) this.x0[b] = x;
      if (x > this.x1[b]!) this.x1[b] = x;
      if (v === v) {
        this.real[b] = 1;
        if (v < this.min[b]!) this.min[b] = v;
        if (v > this.max[b]!) this.max[b] = v;
      }
      if (x > this.lastX[b]! || (x === this.lastX[b] && step > this.lastStep[b]!)) {
        this.lastX[b] = x;
        this.lastStep[b] = step;
        this.last[b] = v;
      }
    }
  }
}

// Largest k < n with bounds[k] ≤ x.
function bucketOf(bounds: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (bounds[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// [lo, hi] split into n equal-width buckets: x is in bucket floor((x-lo)·n/span),
// so bucket k starts at lo + ceil(k·span/n). Exact integer arithmetic (BigInt),
// shared by the SQL (width_bucket) and the decoder, so both agree on every edge.
export function bucketBounds(lo: number, hi: number, n: number): Float64Array {
  const span = BigInt(hi - lo + 1);
  const N = BigInt(n);
  const out = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) out[k] = lo + Number((BigInt(k) * span + N - 1n) / N);
  return out;
}

type Row = {
  series_id: string;
  b: number;
  clean: boolean;
  x0: string | null;
  x1: string | null;
  cnt: string | null;
  vmin: number | null;
  vmax: number | null;
  last: number | null;
  last_step: string | null;
  payload: unknown;
};

// Exact per-bucket aggregates for several series. Chunks that overlap no
// other chunk and fall inside one bucket are summed in SQL from their stats;
// only the others (straddling a bucket edge, or overlapping and so needing
// last-write-wins) are fetched and decoded. The window pass reads stats only;
// payloads are joined in for the chunks that need decoding.
// The plan must not hinge on fresh statistics (a new team's rows look absent
// until the next ANALYZE): each series is an equality lookup on the primary
// key, and payloads are fetched by the row's ctid, stable within the statement,
// through a lateral subquery kept apart by its LIMIT (a join, or a subquery
// the planner flattens into one, would let it hash the whole
// table's payloads when it misjudges how few chunks need decoding).
export async function bucketize(
  q: Q,
  teamId: string,
  seriesIds: number[],
  axis: Axis,
  lo: number,
  hi: number,
  n: number,
  timing: BucketTiming = { sql: 0, decode: 0, rows: 0 },
): Promise<Map<number, BucketAcc>> {
  const bounds = bucketBounds(lo, hi, n);
  const b = numArray(bounds);
  const ids = numArray(seriesIds);
  const isStep = axis === "step";
  const xLo = sql.raw(isStep ? "step_min" : "t_min");
  const xHi = sql.raw(isStep ? "step_max" : "t_max");
  // Steps decide overlap, so the time axis must see every chunk of the series.
  const stepRange = isStep ? sql`and step_max >= ${lo} and step_min <= ${hi}` : sql``;
  const usable = isStep
    ? sql`k.clean and k.b0 = k.b1 and k.b0 between 1 and ${n}`
    : sql`k.clean and k.t_monotone and k.b0 = k.b1 and k.b0 between 1 and ${n}`;
  const t0 = performance.now();
  const result = await rows<Row>(
    q,
    sql`with c as (
      select series_id, id, step_min, step_max, count, v_min, v_max, v_last, t_monotone, tid,
        ${xLo} as x_lo, ${xHi} as x_hi,
        (coalesce(max(step_max) over (partition by series_id order by step_min, id rows between unbounded preceding and 1 preceding), -1) < step_min
          and coalesce(lead(step_min) over (partition by series_id order by step_min, id) > step_max, true)) as clean
      from unnest(${ids}::int8[]) as s(sid)
      cross join lateral (
        select series_id, id, step_min, step_max, count, v_min, v_max, v_last, t_monotone, t_min, t_max, ctid as tid
        from metric_chunks where team_id = ${teamId} and series_id = s.sid ${stepRange}) as mc
    ), k as (
      select *, width_bucket(x_lo, ${b}::int8[]) as b0, width_bucket(x_hi, ${b}::int8[]) as b1
      from c where (x_hi >= ${lo} and x_lo <= ${hi}) or not clean
    )
    select series_id, b0 as b, true as clean, min(x_lo) as x0, max(x_hi) as x1, sum(count) as cnt,
      min(v_min) as vmin, max(v_max) as vmax,
      -- The chunk with the largest (x_hi, step_max) gives the bucket's last value:
      -- one max() over arrays, no per-group sort. float8 holds steps (< 2^53)
      -- and times exactly, and no two clean chunks tie on both, so v_last never decides.
      (max(array[x_hi::float8, step_max::float8, v_last]))[3] as last,
      (max(array[x_hi::float8, step_max::float8]))[2]::int8 as last_step, null::bytea as payload
    from k where ${usable} group by series_id, b0
    union all
    select k.series_id, 0, k.clean, null, null, null, null, null, null, null, m.payload
    from k cross join lateral (select payload from metric_chunks where ctid = k.tid and team_id = ${teamId} limit 1) as m
    where not (${usable})`,
  );
  timing.sql = performance.now() - t0;
  timing.rows = result.length;
  const out = new Map<number, BucketAcc>();
  const dirty = new Map<number, Points[]>();
  for (const id of seriesIds) out.set(id, new BucketAcc(n));
  for (const r of result) {
    const sid = int(r.series_id);
    const acc = out.get(sid)!;
    if (r.payload === null) {
      const x1 = int(r.x1);
      acc.add(r.b - 1, int(r.x0), x1, int(r.cnt), r.vmin, r.vmax, r.last!, int(r.last_step));
      continue;
    }
    const p = decodeChunk(asBytes(r.payload));
    if (r.clean) acc.addPoints(p, axis, bounds);
    else dirty.set(sid, [...(dirty.get(sid) ?? []), p]);
  }
  for (const [sid, parts] of dirty) out.get(sid)!.addPoints(mergePoints(parts), axis, bounds);
  timing.decode = performance.now() - t0 - timing.sql;
  return out;
}
