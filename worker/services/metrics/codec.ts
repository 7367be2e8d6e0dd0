// The packed payload of one metric chunk. Points are sorted by step with no
// repeated step. Layout:
//   u8 flags (bit 0: values stored as float32, because every value is exactly
//   representable as one, as a float32 tensor's .item() is; bits 1 and 2:
//   steps / timestamps as runs of equal deltas), varint n, steps and then
//   timestamps as zigzag varint deltas from 0 (or varint run count, then
//   varint length and zigzag delta per run), batch seqs as runs (varint run count, then varint length and
//   varint seq per run), then n values little-endian.
// Varints carry integers up to 2^53, so they use arithmetic above 2^31.

export type Points = {
  n: number;
  steps: Float64Array;
  values: Float64Array;
  times: Float64Array;
  seqs: Float64Array;
};

export function allocPoints(n: number): Points {
  return { n, steps: new Float64Array(n), values: new Float64Array(n), times: new Float64Array(n), seqs: new Float64Array(n) };
}

const F32 = 1;
// Steps or timestamps stored as runs of equal deltas (regular steps, a fixed
// logging interval, or server-stamped batches cost a few bytes per chunk).
const STEP_RLE = 2;
const TIME_RLE = 4;
const TWO31 = 2 ** 31;

class Writer {
  buf: Uint8Array;
  pos = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  varint(v: number) {
    const b = this.buf;
    if (v < TWO31) {
      while (v >= 0x80) {
        b[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v >= 0x80) {
        b[this.pos++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
    }
    b[this.pos++] = v;
  }
  zigzag(v: number) {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(): number {
    const b = this.buf;
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[this.pos++];
      if (byte === undefined) throw new Error("metric chunk payload is truncated");
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 128;
    }
  }
  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

// Whether runs of equal deltas are the shorter form for xs[from, to).
function useRle(xs: Float64Array, from: number, to: number): boolean {
  let runs = 1;
  for (let i = from + 2; i < to; i++) if (xs[i]! - xs[i - 1]! !== xs[i - 1]! - xs[i - 2]!) runs++;
  return runs * 3 < to - from;
}

function writeDeltas(w: Writer, xs: Float64Array, from: number, to: number, rle: boolean) {
  if (!rle) {
    let prev = 0;
    for (let i = from; i < to; i++) {
      w.zigzag(xs[i]! - prev);
      prev = xs[i]!;
    }
    return;
  }
  const pairs: number[] = [];
  let prev = 0;
  for (let i = from; i < to; ) {
    const d = xs[i]! - prev;
    let j = i + 1;
    while (j < to && xs[j]! - xs[j - 1]! === d) j++;
    pairs.push(j - i, d);
    prev = xs[j - 1]!;
    i = j;
  }
  w.varint(pairs.length / 2);
  for (let k = 0; k < pairs.length; k += 2) {
    w.varint(pairs[k]!);
    w.zigzag(pairs[k + 1]!);
  }
}

function readDeltas(r: Reader, out: Float64Array, n: number, rle: boolean) {
  let acc = 0;
  if (!rle) {
    for (let i = 0; i < n; i++) out[i] = acc += r.zigzag();
    return;
  }
  const runs = r.varint();
  for (let k = 0, i = 0; k < runs; k++) {
    const len = r.varint();
    const d = r.zigzag();
    if (i + len > n) throw new Error("metric chunk payload is corrupt");
    for (let e = i + len; i < e; i++) out[i] = acc += d;
  }
}

// Encodes points [from, to) of p, which must be sorted by step without repeats.
export function encodeChunk(p: Points, from = 0, to = p.n): Uint8Array {
  const n = to - from;
  let f32 = true;
  for (let i = from; i < to; i++) {
    const v = p.values[i]!;
    if (Math.fround(v) !== v && v === v) {
      f32 = false;
      break;
    }
  }
  const w = new Writer(16 + n * (f32 ? 4 : 8) + n * 8 * 3);
  const stepRle = useRle(p.steps, from, to);
  const timeRle = useRle(p.times, from, to);
  w.buf[w.pos++] = (f32 ? F32 : 0) | (stepRle ? STEP_RLE : 0) | (timeRle ? TIME_RLE : 0);
  w.varint(n);
  writeDeltas(w, p.steps, from, to, stepRle);
  writeDeltas(w, p.times, from, to, timeRle);
  const runs: number[] = [];
  for (let i = from; i < to; ) {
    const seq = p.seqs[i]!;
    let j = i + 1;
    while (j < to && p.seqs[j] === seq) j++;
    runs.push(j - i, seq);
    i = j;
  }
  w.varint(runs.length / 2);
  for (const r of runs) w.varint(r);
  const view = new DataView(w.buf.buffer);
  if (f32) {
    for (let i = from; i < to; i++, w.pos += 4) view.setFloat32(w.pos, p.values[i]!, true);
  } else {
    for (let i = from; i < to; i++, w.pos += 8) view.setFloat64(w.pos, p.values[i]!, true);
  }
  return w.buf.subarray(0, w.pos);
}

export function decodeChunk(buf: Uint8Array): Points {
  const r = new Reader(buf);
  const flags = buf[r.pos++]!;
  const n = r.varint();
  if (n > 1_000_000) throw new Error("metric chunk payload is corrupt");
  const p = allocPoints(n);
  readDeltas(r, p.steps, n, (flags & STEP_RLE) !== 0);
  readDeltas(r, p.times, n, (flags & TIME_RLE) !== 0);
  const runCount = r.varint();
  for (let k = 0, i = 0; k < runCount; k++) {
    const len = r.varint();
    const seq = r.varint();
    p.seqs.fill(seq, i, i + len);
    i += len;
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = r.pos;
  if (flags & F32) {
    for (let i = 0; i < n; i++, pos += 4) p.values[i] = view.getFloat32(pos, true);
  } else {
    for (let i = 0; i < n; i++, pos += 8) p.values[i] = view.getFloat64(pos, true);
  }
  return p;
}

// Per-chunk stats stored next to the payload.
export type ChunkStats = {
  stepMin: number;
  stepMax: number;
  count: number;
  vMin: number | null;
  vMax: number | null;
  vLast: number;
  tMin: number;
  tMax: number;
  tMonotone: boolean;
  seq: number;
};

export function chunkStats(p: Points, from = 0, to = p.n): ChunkStats {
  let vMin = Infinity;
  let vMax = -Infinity;
  let tMin = Infinity;
  let tMax = -Infinity;
  let seq = 0;
  let real = false;
  let tMonotone = true;
  for (let i = from; i < to; i++) {
    const v = p.values[i]!;
    if (v === v) {
      real = true;
      if (v < vMin) vMin = v;
      if (v > vMax) vMax = v;
    }
    const t = p.times[i]!;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    if (p.seqs[i]! > seq) seq = p.seqs[i]!;
  }
  // v_last stands for the time axis too only if the last step holds the largest time.
  if (p.times[to - 1]! < tMax) tMonotone = false;
  return {
    stepMin: p.steps[from]!,
    stepMax: p.steps[to - 1]!,
    count: to - from,
    vMin: real ? vMin : null,
    vMax: real ? vMax : null,
    vLast: p.values[to - 1]!,
    tMin,
    tMax,
    tMonotone,
    seq,
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// bytea as Postgres' hex input form, so a multi-row insert can pass an array literal.
export function toHex(buf: Uint8Array): string {
  let s = "\\x";
  for (let i = 0; i < buf.length; i++) s += HEX[buf[i]!];
  return s;
}

// The driver hands bytea back as a Buffer (a Uint8Array) or, in some paths, hex text.
export function asBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string" && v.startsWith("\\x")) {
    const out = new Uint8Array((v.length - 2) / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(v.substr(2 + i * 2, 2), 16);
    return out;
  }
  throw new Error("metric chunk payload has an unexpected type");
}
