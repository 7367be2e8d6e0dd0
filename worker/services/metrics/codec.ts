// The packed payload of one metric chunk. Points are sorted by step with no
// repeated step. Layout:
//   u8 flags, varint n, the steps column, the timestamps column, batch seqs as
//   runs (varint run count, then varint length and varint seq per run), then
//   n values little-endian (float32 when flag bit 0 says every value is
//   exactly representable as one, as a float32 tensor's .item() is; else float64).
// A column (steps, timestamps) is deltas from 0 in one of three forms, named
// by its two flag bits (steps: bits 1 and 3, timestamps: bits 2 and 4):
//   - neither: zigzag varint per delta;
//   - RLE (bit 1 / 2): varint run count, then varint length and zigzag delta
//     per run (regular steps, a fixed interval, server-stamped batches);
//   - PACKED (bit 3 / 4): zigzag varint first value, zigzag varint base (the
//     smallest later delta), u8 width w ≤ 24, then each later delta minus the
//     base in w bits, LSB first (Date.now() stamps with a few ms of jitter
//     cost 6 or 7 bits a point instead of one or two varint bytes).
// Flags 3 and 4 came later: chunks written before them decode unchanged.
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
const STEP_RLE = 2;
const TIME_RLE = 4;
const STEP_PACKED = 8;
const TIME_PACKED = 16;
const MAX_WIDTH = 24;
const TWO31 = 2 ** 31;

type Form = "varint" | "rle" | "packed";

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
  readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }
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

const varintSize = (v: number) => (v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : Math.ceil(Math.log2(v + 1) / 7));
const zigzagSize = (v: number) => varintSize(v >= 0 ? v * 2 : -v * 2 - 1);
const bitWidth = (v: number) => (v === 0 ? 0 : 32 - Math.clz32(v));

// The smallest of the three forms for xs[from, to), by the bytes each would take.
function chooseForm(xs: Float64Array, from: number, to: number): Form {
  const n = to - from;
  if (n < 3) return "varint";
  let runs = 1;
  let varints = zigzagSize(xs[from]!);
  let dMin = Infinity;
  let dMax = -Infinity;
  for (let i = from + 1; i < to; i++) {
    const d = xs[i]! - xs[i - 1]!;
    varints += zigzagSize(d);
    if (d < dMin) dMin = d;
    if (d > dMax) dMax = d;
    if (i > from + 1 && d !== xs[i - 1]! - xs[i - 2]!) runs++;
  }
  const rle = runs * 3 < n ? runs * 3 : Infinity;
  const spread = dMax - dMin;
  const packed = spread < 2 ** MAX_WIDTH ? zigzagSize(xs[from]!) + zigzagSize(dMin) + 1 + Math.ceil(((n - 1) * bitWidth(spread)) / 8) : Infinity;
  if (rle <= packed && rle < varints) return "rle";
  return packed < varints ? "packed" : "varint";
}

function writeColumn(w: Writer, xs: Float64Array, from: number, to: number, form: Form) {
  if (form === "varint") {
    let prev = 0;
    for (let i = from; i < to; i++) {
      w.zigzag(xs[i]! - prev);
      prev = xs[i]!;
    }
  } else if (form === "rle") {
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
  } else {
    let base = Infinity;
    let spread = 0;
    for (let i = from + 1; i < to; i++) base = Math.min(base, xs[i]! - xs[i - 1]!);
    for (let i = from + 1; i < to; i++) spread = Math.max(spread, xs[i]! - xs[i - 1]! - base);
    const width = bitWidth(spread);
    w.zigzag(xs[from]!);
    w.zigzag(base);
    w.buf[w.pos++] = width;
    const b = w.buf;
    // acc holds fewer than 8 + 24 bits: plain 32-bit integer arithmetic suffices.
    let acc = 0;
    let bits = 0;
    for (let i = from + 1; i < to; i++) {
      acc |= (xs[i]! - xs[i - 1]! - base) << bits;
      bits += width;
      while (bits >= 8) {
        b[w.pos++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) b[w.pos++] = acc & 0xff;
  }
}

function readColumn(r: Reader, out: Float64Array, n: number, form: Form) {
  let acc = 0;
  if (form === "varint") {
    for (let i = 0; i < n; i++) out[i] = acc += r.zigzag();
  } else if (form === "rle") {
    const runs = r.varint();
    for (let k = 0, i = 0; k < runs; k++) {
      const len = r.varint();
      const d = r.zigzag();
      if (i + len > n) throw new Error("metric chunk payload is corrupt");
      for (let e = i + len; i < e; i++) out[i] = acc += d;
    }
  } else if (n > 0) {
    let x = (out[0] = r.zigzag());
    const base = r.zigzag();
    const b = r.buf;
    const width = b[r.pos++]!;
    if (width > MAX_WIDTH) throw new Error("metric chunk payload is corrupt");
    const end = r.pos + Math.ceil(((n - 1) * width) / 8);
    if (end > b.length) throw new Error("metric chunk payload is truncated");
    const mask = width === 0 ? 0 : (1 << width) - 1;
    let pos = r.pos;
    let bits = 0;
    for (let i = 1; i < n; i++) {
      while (bits < width) {
        acc |= b[pos++]! << bits;
        bits += 8;
      }
      out[i] = x += (acc & mask) + base;
      acc >>>= width;
      bits -= width;
    }
    r.pos = end;
  }
}

const formOf = (flags: number, rle: number, packed: number): Form => (flags & rle ? "rle" : flags & packed ? "packed" : "varint");
const flagOf = (form: Form, rle: number, packed: number) => (form === "rle" ? rle : form === "packed" ? packed : 0);

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
  const stepForm = chooseForm(p.steps, from, to);
  const timeForm = chooseForm(p.times, from, to);
  w.buf[w.pos++] = (f32 ? F32 : 0) | flagOf(stepForm, STEP_RLE, STEP_PACKED) | flagOf(timeForm, TIME_RLE, TIME_PACKED);
  w.varint(n);
  writeColumn(w, p.steps, from, to, stepForm);
  writeColumn(w, p.times, from, to, timeForm);
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
  readColumn(r, p.steps, n, formOf(flags, STEP_RLE, STEP_PACKED));
  readColumn(r, p.times, n, formOf(flags, TIME_RLE, TIME_PACKED));
  const runCount = r.varint();
  for (let k = 0, i = 0; k < runCount; k++) {
    const len = r.varint();
    const seq = r.varint();
    p.seqs.fill(seq, i, i + len);
    i += len;
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = r.pos;
  if (pos + n * (flags & F32 ? 4 : 8) > buf.length) throw new Error("metric chunk payload is truncated");
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
// The Neon driver hands bytea over as hex text ("\\x0a1b…"); a bucket read
// over many runs decodes megabytes of it, so this is a table lookup per
// character, not parseInt per byte (≈ 15× faster, bench/out/share.json).
const UNHEX = (() => {
  const t = new Uint8Array(128).fill(255);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[97 + i] = t[65 + i] = 10 + i;
  return t;
})();

export function asBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string" && v.startsWith("\\x") && v.length % 2 === 0) {
    const out = new Uint8Array((v.length - 2) / 2);
    let bad = 0;
    for (let i = 0, j = 2; i < out.length; i++, j += 2) {
      const hi = UNHEX[v.charCodeAt(j) & 127]!;
      const lo = UNHEX[v.charCodeAt(j + 1) & 127]!;
      bad |= hi | lo | (v.charCodeAt(j) | v.charCodeAt(j + 1)) & 128;
      out[i] = (hi << 4) | lo;
    }
    if (bad & 0xf0) throw new Error("metric chunk payload is not hex");
    return out;
  }
  throw new Error("metric chunk payload has an unexpected type");
}
