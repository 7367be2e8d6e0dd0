// HTTP for the SDK: fetch only (Node ≥ 20 and browsers), JSON in and out, and
// retries with exponential backoff + full jitter on the failures that a retry
// can fix (network errors, timeouts, 429, 5xx). Other 4xx answers are the
// caller's mistake and are thrown at once as a SightlineError.

export type RetryPolicy = {
  // Total tries per request (first try included). Infinity: until it works or
  // the request's signal aborts (the batcher does this for metric batches).
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  // A Retry-After longer than this is clamped, so one bad header cannot park a run.
  maxRetryAfterMs: number;
};

export type HttpClientOptions = {
  baseUrl: string;
  apiKey?: string;
  retry?: Partial<RetryPolicy>;
  // Per try; a hung connection counts as a network error and is retried.
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type RequestOptions = {
  maxAttempts?: number;
  signal?: AbortSignal;
  // The contract accepts Content-Encoding: gzip on ingest routes only, so callers opt in per request.
  gzip?: boolean;
  // Called before each retry, with the error that caused it.
  onRetry?: (err: SightlineError, attempt: number, delayMs: number) => void;
};

export class SightlineError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    init: { status: number; code: string; requestId?: string; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "SightlineError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export class HttpClient {
  readonly baseUrl: string;
  readonly retry: RetryPolicy;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.apiKey = opts.apiKey;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    // Bound so that a browser's window.fetch is not called with another `this`.
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  // `path` is relative to the server root, e.g. "/api/v1/runs/run_1/metrics".
  async request<T = any>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const maxAttempts = opts.maxAttempts ?? this.retry.maxAttempts;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const encoded = payload !== undefined && opts.gzip ? await gzip(payload) : payload;
    for (let attempt = 1; ; attempt++) {
      if (opts.signal?.aborted) throw aborted(opts.signal);
      let err: SightlineError;
      try {
        return await this.once<T>(method, path, encoded, opts);
      } catch (e) {
        err = e instanceof SightlineError ? e : networkError(e, opts.signal);
      }
      if (!err.retryable || attempt >= maxAttempts || opts.signal?.aborted) throw err;
      const delay = err.retryAfterMs !== undefined ? Math.min(err.retryAfterMs, this.retry.maxRetryAfterMs) : this.backoff(attempt);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay, opts.signal);
    }
  }

  // Full jitter (AWS architecture blog): spreads retries of many clients apart.
  backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * cap;
  }

  private async once<T>(method: string, path: string, body: string | Uint8Array | undefined, opts: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    if (body instanceof Uint8Array) headers["content-encoding"] = "gzip";
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const res = await this.fetchImpl(this.baseUrl + path, { method, headers, body: body as BodyInit | undefined, signal });
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
    let code = `http_${res.status}`;
    let message = text.slice(0, 500) || res.statusText;
    let requestId: string | undefined;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; request_id?: string } };
      if (parsed.error) {
        code = parsed.error.code ?? code;
        message = parsed.error.message ?? message;
        requestId = parsed.error.request_id;
      }
    } catch {
      // not the JSON envelope (a proxy's HTML page): keep the raw text
    }
    const retryable = res.status === 429 || res.status >= 500 || res.status === 408;
    return Promise.reject(
      new SightlineError(`${method} ${path} → ${res.status} ${code}: ${message}`, {
        status: res.status,
        code,
        requestId,
        retryable,
        retryAfterMs: retryable ? parseRetryAfter(res.headers.get("retry-after")) : undefined,
      }),
    );
  }
}

// Seconds or an HTTP date (RFC 9110 §10.2.3).
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function networkError(e: unknown, signal?: AbortSignal): SightlineError {
  if (signal?.aborted) return aborted(signal);
  // A timeout or a dropped connection: the server may or may not have stored
  // the request, which is why every retried write carries its idempotency key.
  return new SightlineError(`network error: ${(e as Error)?.message ?? String(e)}`, { status: 0, code: "network_error", retryable: true, cause: e });
}

function aborted(signal: AbortSignal): SightlineError {
  return new SightlineError("request aborted", { status: 0, code: "aborted", retryable: false, cause: signal.reason });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
