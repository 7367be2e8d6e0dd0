import { ApiError } from "../../lib/errors";
import { allocPoints, type Points } from "./codec";
import { keepLastPerStep } from "./merge";

export const MAX_POINTS_PER_BATCH = 10_000;
export const MAX_KEYS_PER_RUN = 1_000;
const MAX_STEP = 2 ** 53 - 1;
const MAX_TIME = 2 ** 52;
// MLflow's key characters (letters and digits of any script, '_', '.', '/', ':', ' ', '-'),
// so a key logged through either door reads through both.
const KEY_RE = /^[\p{L}\p{N}_./ :-]{1,256}$/u;

export type SeriesBatch = { key: string; points: Points };
// seq "next": the server numbers the batch (MLflow's doors, whose clients send none).
export type Batch = { seq: number | "next"; series: SeriesBatch[]; total: number };

const bad = (message: string) => new ApiError("invalid_argument", message);
const isInt = (v: unknown, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;

// Hand-written rather than zod: a batch holds up to 10,000 points and this is
// the hot path. Every failure names the field.
export function parseBatch(body: unknown, now: number): Batch {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw bad("body: must be a JSON object");
  const { seq, metrics } = body as { seq?: unknown; metrics?: unknown };
  if (!isInt(seq, MAX_STEP)) throw bad("seq: must be an integer ≥ 0");
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) throw bad("metrics: must be an object of key → {steps, values, timestamps?}");
  const entries = Object.entries(metrics as Record<string, unknown>);
  let total = 0;
  for (const [key, m] of entries) {
    const steps = (m as { steps?: unknown } | null)?.steps;
    if (Array.isArray(steps)) total += steps.length;
  }
  if (total > MAX_POINTS_PER_BATCH) {
    throw new ApiError("payload_too_large", `metrics: a batch holds at most ${MAX_POINTS_PER_BATCH} points (got ${total}); split it`);
  }
  if (entries.length > MAX_KEYS_PER_RUN) throw bad(`metrics: at most ${MAX_KEYS_PER_RUN} keys per run`);
  const series: SeriesBatch[] = [];
  for (const [key, m] of entries) series.push({ key, points: parseSeries(key, m, seq, now) });
  return { seq, series, total };
}

function parseSeries(key: string, m: unknown, seq: number, now: number): Points {
  const at = `metrics[${JSON.stringify(key)}]`;
  if (!KEY_RE.test(key) || key.trim() !== key) {
    throw bad(`${at}: a key is 1…256 characters of letters, digits, '_', '.', '/', ':', ' ', '-', without leading or trailing spaces`);
  }
  if (typeof m !== "object" || m === null) throw bad(`${at}: must be an object {steps, values, timestamps?}`);
  const { steps, values, timestamps } = m as { steps?: unknown; values?: unknown; timestamps?: unknown };
  if (!Array.isArray(steps)) throw bad(`${at}.steps: must be an array of integers`);
  if (!Array.isArray(values)) throw bad(`${at}.values: must be an array`);
  if (timestamps !== undefined && timestamps !== null && !Array.isArray(timestamps)) throw bad(`${at}.timestamps: must be an array`);
  const n = steps.length;
  if (values.length !== n) throw bad(`${at}.values: has ${values.length} elements but steps has ${n}; the arrays must be of equal length`);
  const ts = Array.isArray(timestamps) ? timestamps : null;
  if (ts && ts.length !== n) throw bad(`${at}.timestamps: has ${ts.length} elements but steps has ${n}; the arrays must be of equal length`);
  const p = allocPoints(n);
  p.seqs.fill(seq);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const s = steps[i];
    if (!isInt(s, MAX_STEP)) throw bad(`${at}.steps[${i}]: must be an integer in 0…2^53-1`);
    p.steps[i] = s;
    if (i > 0 && s <= p.steps[i - 1]!) sorted = false;
    p.values[i] = value(values[i], `${at}.values[${i}]`);
    if (ts) {
      const t = ts[i];
      if (typeof t !== "number" || !(t >= 0 && t <= MAX_TIME)) throw bad(`${at}.timestamps[${i}]: must be epoch milliseconds (a number ≥ 0)`);
      p.times[i] = Math.round(t);
    } else p.times[i] = now;
  }
  return sorted ? p : sortKeepLast(p);
}

function value(v: unknown, at: string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw bad(`${at}: must be a number or one of "NaN", "Infinity", "-Infinity"`);
}

// Out-of-order steps sorted; a step repeated within the batch keeps its later element.
function sortKeepLast(p: Points): Points {
  const order = Array.from({ length: p.n }, (_, i) => i);
  order.sort((a, b) => p.steps[a]! - p.steps[b]! || a - b);
  return keepLastPerStep(p, order);
}

// One logged value (MLflow's Metric message), already validated by its door.
export type LoggedPoint = { key: string; value: number; timestamp: number; step: number };

// Points in request order → one series per key, sorted by step; a step logged
// twice keeps its later value (Sightline keeps one value per step, ADR 0004).
// The batch is numbered by the server (seq "next").
export function batchOfPoints(list: LoggedPoint[]): Batch {
  const byKey = new Map<string, LoggedPoint[]>();
  for (const m of list) {
    const l = byKey.get(m.key);
    if (l) l.push(m);
    else byKey.set(m.key, [m]);
  }
  const series: SeriesBatch[] = [];
  for (const [key, l] of byKey) {
    const p = allocPoints(l.length);
    let sorted = true;
    l.forEach((m, i) => {
      p.steps[i] = m.step;
      p.values[i] = m.value;
      p.times[i] = m.timestamp;
      if (i > 0 && m.step <= l[i - 1]!.step) sorted = false;
    });
    series.push({ key, points: sorted ? p : sortKeepLast(p) });
  }
  return { seq: "next", series, total: list.length };
}
