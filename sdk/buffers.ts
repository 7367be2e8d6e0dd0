// What the batcher collects between two batches, already in the wire shape of
// docs/api/tracking.md: metric points columnar per key, console lines as a list.
import type { Accumulator } from "./batcher.ts";

export type WireValue = number | "NaN" | "Infinity" | "-Infinity";
export type MetricColumns = { steps: number[]; values: WireValue[]; timestamps: number[] };
export type MetricsPayload = Record<string, MetricColumns>;
export type ConsoleLine = { text: string; stream: "stdout" | "stderr"; ts: number };

// JSON has no NaN or ±Infinity; the contract spells them as strings.
export function encodeValue(v: number): WireValue {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

export function decodeValue(v: WireValue | string | null): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw new Error(`not a metric value: ${JSON.stringify(v)}`);
}

// The server refuses a whole batch for one bad key, so keys are checked here
// and a bad one is dropped alone (with an error) rather than losing the batch.
const KEY_RE = /^[A-Za-z0-9_./ -]{1,256}$/;
export const isValidKey = (key: string) => KEY_RE.test(key) && key.trim() === key;

export class MetricBuffer implements Accumulator<MetricsPayload> {
  private cols = new Map<string, MetricColumns>();
  count = 0;
  readonly bytes = 0;

  add(key: string, step: number, value: number, ts: number): void {
    let c = this.cols.get(key);
    if (!c) {
      c = { steps: [], values: [], timestamps: [] };
      this.cols.set(key, c);
    }
    c.steps.push(step);
    c.values.push(encodeValue(value));
    c.timestamps.push(ts);
    this.count++;
  }

  take(): MetricsPayload {
    const out = Object.fromEntries(this.cols) as MetricsPayload;
    this.cols = new Map();
    this.count = 0;
    return out;
  }
}

// Each UTF-16 unit is at most 3 UTF-8 bytes, so this many units stay under
// the contract's 64 KiB per line.
export const MAX_LINE_UNITS = 21_000;

export class ConsoleBuffer implements Accumulator<ConsoleLine[]> {
  private lines: ConsoleLine[] = [];
  bytes = 0;

  get count(): number {
    return this.lines.length;
  }

  add(line: ConsoleLine): void {
    this.lines.push(line);
    this.bytes += line.text.length * 3 + 40;
  }

  take(): ConsoleLine[] {
    const out = this.lines;
    this.lines = [];
    this.bytes = 0;
    return out;
  }
}

// Splits text into lines the server accepts: on newlines, then long lines in
// pieces. A trailing newline does not make an empty line.
export function splitLines(text: string): string[] {
  const parts = text.replace(/\r\n/g, "\n").split("\n");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  const out: string[] = [];
  for (const p of parts) {
    for (let i = 0; i < p.length; i += MAX_LINE_UNITS) out.push(p.slice(i, i + MAX_LINE_UNITS));
    if (p.length === 0) out.push("");
  }
  return out;
}

// log({ train: { loss: 1 } }) is log({ "train/loss": 1 }), as in W&B.
export function flatten(data: Record<string, unknown>, prefix = "", out: [string, unknown][] = []): [string, unknown][] {
  for (const [k, v] of Object.entries(data)) {
    const key = prefix ? `${prefix}/${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.push([key, v]);
  }
  return out;
}
