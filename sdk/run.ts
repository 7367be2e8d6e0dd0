// A run: created on the server by init(), then log() and logConsole() hand
// data to background batchers and return at once; finish() drains them.
import { Batcher, type BatcherStats } from "./batcher.ts";
import { ConsoleBuffer, MetricBuffer, flatten, isValidKey, splitLines, type ConsoleLine, type MetricsPayload } from "./buffers.ts";
import { HttpClient, SightlineError, type RetryPolicy } from "./client.ts";
import { attachExitHooks } from "./node-exit.ts";
import type { LogArtifactOptions, LogResult, UseArtifactOptions, UseResult } from "./artifacts.ts";

export type RunStatus = "running" | "finished" | "failed" | "killed" | "crashed";
export type RunData = { id: string; project_id: string; name: string; status: RunStatus; [field: string]: unknown };
export type FinishOptions = { status?: "finished" | "failed" | "killed"; exitCode?: number; timeoutMs?: number };

export type InitOptions = {
  project: string;
  name?: string;
  config?: Record<string, unknown>;
  tags?: string[];
  notes?: string;
  git?: { commit?: string; branch?: string; dirty?: boolean; remote?: string | null };
  host?: string;
  system?: Record<string, unknown>;
  baseUrl?: string;
  apiKey?: string;
  onError?: (err: SightlineError) => void;
  batch?: { maxPoints?: number; intervalMs?: number; maxBufferedPoints?: number; maxInFlight?: number };
  retry?: Partial<RetryPolicy>;
  // Per HTTP try; a hung request is abandoned and retried.
  timeoutMs?: number;
  heartbeatSeconds?: number;
  // How long finish() (and a SIGINT/SIGTERM) waits for unsent data.
  finishTimeoutMs?: number;
  killDeadlineMs?: number;
  exitHooks?: boolean;
  // Metric batches go gzipped (the contract accepts it on ingest); default true.
  gzip?: boolean;
  fetch?: typeof fetch;
};

const MAX_KEYS = 1_000;
const MAX_BATCH_POINTS = 10_000;
const MAX_ERRORS_KEPT = 100;

const env = (name: string): string | undefined =>
  typeof process !== "undefined" && process.env ? process.env[name] : undefined;

export async function init(opts: InitOptions): Promise<Run> {
  const baseUrl =
    opts.baseUrl ?? env("SIGHTLINE_BASE_URL") ?? (globalThis as { location?: { origin: string } }).location?.origin ?? "http://127.0.0.1:8787";
  const http = new HttpClient({ baseUrl, apiKey: opts.apiKey ?? env("SIGHTLINE_API_KEY"), retry: opts.retry, timeoutMs: opts.timeoutMs, fetch: opts.fetch });
  const body = { name: opts.name, config: opts.config, tags: opts.tags, notes: opts.notes, git: opts.git, host: opts.host, system: opts.system };
  const res = await http.request<{ run: RunData }>("POST", `/api/v1/projects/${encodeURIComponent(opts.project)}/runs`, body);
  const run = new Run(http, res.run, opts);
  if (opts.exitHooks !== false && typeof process !== "undefined" && typeof process.on === "function") {
    run.detachExitHooks = attachExitHooks(run, { deadlineMs: opts.killDeadlineMs ?? 10_000 });
  }
  return run;
}

// A variable, not a literal: browser bundlers follow literal import()s and
// would pull node:fs into the bundle; tsc still maps ".ts" to ".js" at build.
const ARTIFACTS_MODULE = "./artifacts.ts";
const loadArtifacts = (): Promise<typeof import("./artifacts.ts")> =>
  import(ARTIFACTS_MODULE);

export class Run {
  readonly id: string;
  readonly url: string;
  readonly http: HttpClient;
  readonly errors: SightlineError[] = [];
  data: RunData;
  detachExitHooks: (() => void) | undefined;
  private readonly metrics: Batcher<MetricsPayload>;
  private readonly metricBuf = new MetricBuffer();
  private readonly console: Batcher<ConsoleLine[]>;
  private readonly consoleBuf = new ConsoleBuffer();
  private readonly keys = new Set<string>();
  private readonly badKeys = new Set<string>();
  private readonly onError: (err: SightlineError) => void;
  private readonly finishTimeoutMs: number;
  private nextStep = 0;
  private droppedWarnedAt = 0;
  private warnedAfterFinish = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private finishing: Promise<RunData> | undefined;

  constructor(http: HttpClient, data: RunData, opts: InitOptions) {
    this.http = http;
    this.data = data;
    this.id = data.id;
    this.url = `${http.baseUrl}/runs/${encodeURIComponent(data.id)}`;
    this.onError = opts.onError ?? ((err) => console.error(`sightline: ${err.message}`));
    this.finishTimeoutMs = opts.finishTimeoutMs ?? 120_000;
    const b = opts.batch ?? {};
    const path = (what: string) => `/api/v1/runs/${encodeURIComponent(this.id)}/${what}`;
    const onRejected = (err: SightlineError) => this.report(err);
    this.metrics = new Batcher(
      this.metricBuf,
      (batch, signal) =>
        this.http.request("POST", path("metrics"), { seq: batch.seq, metrics: batch.payload }, { maxAttempts: Infinity, signal, gzip: opts.gzip ?? true }),
      {
        maxItems: Math.min(b.maxPoints ?? 1_000, MAX_BATCH_POINTS),
        // Unless the caller caps batches, a fast loop sends up to the server's limit per request.
        maxItemsBusy: Math.min(b.maxPoints ?? MAX_BATCH_POINTS, MAX_BATCH_POINTS),
        maxBytes: Infinity,
        intervalMs: b.intervalMs ?? 1_000,
        maxBuffered: b.maxBufferedPoints ?? 1_000_000,
        maxInFlight: b.maxInFlight ?? 2,
      },
      { onRejected },
    );
    this.console = new Batcher(
      this.consoleBuf,
      (batch, signal) =>
        this.http.request("POST", path("logs"), { seq: batch.seq, lines: batch.payload }, { maxAttempts: Infinity, signal }),
      { maxItems: 1_000, maxBytes: 512 * 1024, intervalMs: b.intervalMs ?? 1_000, maxBuffered: 100_000, maxInFlight: 1 },
      { onRejected },
    );
    const every = (opts.heartbeatSeconds ?? 30) * 1000;
    if (every > 0) {
      this.heartbeat = setInterval(() => void this.beat(path("heartbeat")), every);
      (this.heartbeat as { unref?: () => void }).unref?.();
    }
  }

  // Returns at once. Without a step, each call takes the next step of this run
  // (one past the highest step logged so far), as W&B does.
  log(data: Record<string, unknown>, opts: { step?: number; timestamp?: number } = {}): void {
    if (this.finishing) return this.afterFinish("log");
    const step = opts.step ?? this.nextStep;
    if (!Number.isSafeInteger(step) || step < 0) {
      return this.report(new SightlineError(`step must be an integer in 0…2^53-1 (got ${step})`, { status: 0, code: "invalid_argument", retryable: false }));
    }
    this.nextStep = Math.max(this.nextStep, step + 1);
    const ts = opts.timestamp ?? Date.now();
    const points = flatten(data).filter(([key, v]) => this.acceptKey(key, v));
    if (points.length === 0) return;
    if (!this.metrics.admit(points.length)) return this.warnDropped();
    this.metrics.reserve(points.length);
    for (const [key, v] of points) this.metricBuf.add(key, step, v as number, ts);
    this.metrics.added();
  }

  // Console output, batched like metrics. Multi-line text becomes several lines.
  logConsole(text: string, stream: "stdout" | "stderr" = "stdout"): void {
    if (this.finishing) return this.afterFinish("logConsole");
    const lines = splitLines(text);
    if (!this.console.admit(lines.length)) return this.warnDropped();
    this.console.reserve(lines.length);
    const ts = Date.now();
    for (const line of lines) this.consoleBuf.add({ text: line, stream, ts });
    this.console.added();
  }

  async update(patch: { name?: string; tags?: string[]; notes?: string; config?: Record<string, unknown> }): Promise<RunData> {
    const res = await this.http.request<{ run: RunData }>("PATCH", `/api/v1/runs/${encodeURIComponent(this.id)}`, patch);
    this.data = res.run;
    return res.run;
  }

  // Artifacts read and write local files, so that code (Node-only) is loaded
  // on first use and the rest of the SDK stays browser-safe.
  async logArtifact(pathOrDir: string, opts: LogArtifactOptions): Promise<LogResult> {
    const { logArtifact } = await loadArtifacts();
    return logArtifact(this.http, this.id, pathOrDir, { project: this.data.project_id, ...opts });
  }

  // Downloads an artifact version ("name", "name:v3", "name:best") and records that this run used it.
  async useArtifact(ref: string, dir: string, opts: UseArtifactOptions = {}): Promise<UseResult> {
    const { useArtifact } = await loadArtifacts();
    return useArtifact(this.http, ref, dir, { project: this.data.project_id, runId: this.id, ...opts });
  }

  // Drains every buffered point and line (up to timeoutMs), then marks the run
  // finished. Calling it again returns the same promise.
  finish(opts: FinishOptions = {}): Promise<RunData> {
    this.finishing ??= this.doFinish(opts);
    return this.finishing;
  }

  // Points and lines not yet stored by the server (collecting, queued or in flight).
  pendingPoints(): number {
    return this.metrics.stats().unsent + this.console.stats().unsent;
  }

  stats(): { metrics: BatcherStats; console: BatcherStats } {
    return { metrics: this.metrics.stats(), console: this.console.stats() };
  }

  private async doFinish(opts: FinishOptions): Promise<RunData> {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    const timeoutMs = opts.timeoutMs ?? this.finishTimeoutMs;
    const deadline = setTimeout(() => {
      this.metrics.abort();
      this.console.abort();
    }, timeoutMs);
    await Promise.all([this.metrics.flush(), this.console.flush()]);
    clearTimeout(deadline);
    const { metrics, console: lines } = this.stats();
    if (metrics.unsent + lines.unsent > 0) {
      this.report(
        new SightlineError(
          `finish: gave up after ${timeoutMs} ms with ${metrics.unsent} points and ${lines.unsent} console lines unsent`,
          { status: 0, code: "unsent", retryable: false },
        ),
      );
    }
    if (metrics.dropped + lines.dropped > 0) this.warnDropped(true);
    try {
      const body = { status: opts.status ?? "finished", exit_code: opts.exitCode };
      const res = await this.http.request<{ run: RunData }>("POST", `/api/v1/runs/${encodeURIComponent(this.id)}/finish`, body, { maxAttempts: 5 });
      this.data = res.run;
    } catch (e) {
      this.report(e as SightlineError);
    }
    this.detachExitHooks?.();
    return this.data;
  }

  private async beat(path: string): Promise<void> {
    try {
      await this.http.request("POST", path, undefined, { maxAttempts: 2 });
    } catch (e) {
      // A missed heartbeat is harmless (the next one revives the run); a 4xx is not.
      if (!(e as SightlineError).retryable) this.report(e as SightlineError);
    }
  }

  private acceptKey(key: string, v: unknown): boolean {
    const problem =
      typeof v !== "number" ? `is not a number (${typeof v})` :
      !isValidKey(key) ? "is not a valid key (1…256 of A-Z a-z 0-9 _ . / - space)" :
      !this.keys.has(key) && this.keys.size >= MAX_KEYS ? `would exceed ${MAX_KEYS} keys per run` :
      undefined;
    if (problem === undefined) {
      this.keys.add(key);
      return true;
    }
    // Once per key: a training loop would otherwise report it every step.
    if (!this.badKeys.has(key) && this.badKeys.size < MAX_ERRORS_KEPT) {
      this.badKeys.add(key);
      this.report(new SightlineError(`metric ${JSON.stringify(key)} ${problem}; its values are skipped`, { status: 0, code: "invalid_argument", retryable: false }));
    }
    return false;
  }

  private afterFinish(what: string): void {
    if (this.warnedAfterFinish) return;
    this.warnedAfterFinish = true;
    this.report(new SightlineError(`${what}() after finish() is ignored`, { status: 0, code: "finished", retryable: false }));
  }

  private warnDropped(final = false): void {
    const dropped = this.metrics.stats().dropped + this.console.stats().dropped;
    // Loud, but not once per call: at the first drop, at each ×10, and at finish.
    if (!final && dropped < this.droppedWarnedAt * 10) return;
    this.droppedWarnedAt = Math.max(1, dropped);
    this.report(
      new SightlineError(
        `run ${this.id}: the send buffer is full (the server is unreachable or slower than logging); ${dropped} points/lines DROPPED so far`,
        { status: 0, code: "points_dropped", retryable: false },
      ),
    );
  }

  private report(err: SightlineError): void {
    if (this.errors.length < MAX_ERRORS_KEPT) this.errors.push(err);
    try {
      this.onError(err);
    } catch {
      // a throwing callback must not break logging
    }
  }
}
