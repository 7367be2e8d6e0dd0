// Background batching for one run and one stream (metrics or console lines).
// Items collect in an accumulator; a batch is sealed when it reaches a size or
// when the interval ticks, and gets the next seq at sealing time. The sender
// retries transient failures with that same seq, so the server's (run, seq)
// idempotency makes a retry that raced a slow success harmless.
import type { SightlineError } from "./client.ts";

export interface Accumulator<P> {
  readonly count: number;
  readonly bytes: number;
  // Everything collected so far as one payload, leaving the accumulator empty.
  take(): P;
}

export type Batch<P> = { seq: number; payload: P; count: number };

export type BatcherOptions = {
  maxItems: number;
  // While every send slot is busy, a batch keeps collecting up to this many
  // items (default maxItems): a fast loop then sends fewer, bigger requests
  // instead of queueing many small ones behind a slow network.
  maxItemsBusy?: number;
  maxBytes: number;
  intervalMs: number;
  // Cap on items held (collecting + sealed + in flight); past it, add is refused.
  maxBuffered: number;
  maxInFlight: number;
};

export type BatcherHooks<P> = {
  // A batch the server refused for good (a 4xx other than 429): reported, not retried.
  onRejected(err: SightlineError, batch: Batch<P>): void;
};

export type BatcherStats = { sent: number; rejected: number; dropped: number; unsent: number; batches: number };

type Sender<P> = (batch: Batch<P>, signal: AbortSignal) => Promise<void>;

export class Batcher<P> {
  private readonly acc: Accumulator<P>;
  private readonly send: Sender<P>;
  private readonly opts: BatcherOptions;
  private readonly hooks: BatcherHooks<P>;
  private readonly queue: Batch<P>[] = [];
  private readonly abortCtl = new AbortController();
  private nextSeq = 0;
  private inFlight = 0;
  private inFlightItems = 0;
  private queuedItems = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private waiters: (() => void)[] = [];
  private readonly counts = { sent: 0, rejected: 0, dropped: 0, batches: 0 };

  constructor(acc: Accumulator<P>, send: Sender<P>, opts: BatcherOptions, hooks: BatcherHooks<P>) {
    this.acc = acc;
    this.send = send;
    this.opts = opts;
    this.hooks = hooks;
  }

  // Whether n more items fit under the memory cap; if not they are counted as dropped.
  admit(n: number): boolean {
    if (this.held + n <= this.opts.maxBuffered) return true;
    this.counts.dropped += n;
    return false;
  }

  // Call before adding n items together: a batch never grows past the largest
  // size it may reach (the server refuses bigger ones whole), so one that
  // would is sealed first.
  reserve(n: number): void {
    const hard = Math.max(this.opts.maxItems, this.opts.maxItemsBusy ?? 0);
    if (this.acc.count > 0 && this.acc.count + n > hard) this.seal();
  }

  // Call after adding to the accumulator.
  added(): void {
    const busy = this.inFlight >= this.opts.maxInFlight;
    const cap = busy ? Math.max(this.opts.maxItems, this.opts.maxItemsBusy ?? 0) : this.opts.maxItems;
    if (this.acc.count >= cap || this.acc.bytes >= this.opts.maxBytes) this.seal();
    else this.startTimer();
  }

  seal(): void {
    if (this.acc.count === 0) return;
    const count = this.acc.count;
    this.queue.push({ seq: this.nextSeq++, payload: this.acc.take(), count });
    this.queuedItems += count;
    this.pump();
  }

  // Seals what is collected and resolves once every batch has been answered
  // (stored, refused, or abandoned by abort()).
  async flush(): Promise<void> {
    this.seal();
    while ((this.queue.length > 0 && !this.aborted) || this.inFlight > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  // Stops retrying: in-flight sends give up and queued batches stay unsent
  // (a shutdown deadline passed). Their count stays visible in stats().unsent.
  abort(): void {
    this.abortCtl.abort();
    this.stopTimer();
    this.wake();
  }

  get aborted(): boolean {
    return this.abortCtl.signal.aborted;
  }

  stats(): BatcherStats {
    return { ...this.counts, unsent: this.held };
  }

  private get held(): number {
    return this.acc.count + this.queuedItems + this.inFlightItems;
  }

  private pump(): void {
    while (!this.aborted && this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.shift()!;
      this.queuedItems -= batch.count;
      this.inFlight++;
      this.inFlightItems += batch.count;
      void this.deliver(batch);
    }
    if (this.aborted) this.wake();
  }

  private async deliver(batch: Batch<P>): Promise<void> {
    let outcome: "sent" | "rejected" | "unsent" = "unsent";
    try {
      await this.send(batch, this.abortCtl.signal);
      outcome = "sent";
    } catch (e) {
      const err = e as SightlineError;
      if (err?.code !== "aborted" && !this.aborted) {
        outcome = "rejected";
        this.hooks.onRejected(err, batch);
      }
    }
    this.inFlight--;
    this.inFlightItems -= batch.count;
    if (outcome === "sent") {
      this.counts.sent += batch.count;
      this.counts.batches++;
    } else if (outcome === "rejected") {
      this.counts.rejected += batch.count;
    } else {
      // Abandoned at a deadline: keep it counted as unsent.
      this.queue.unshift(batch);
      this.queuedItems += batch.count;
    }
    // A slot is free: what collected while all were busy goes now if it is a full batch.
    if (this.queue.length === 0 && this.acc.count >= this.opts.maxItems && !this.aborted) this.seal();
    this.pump();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.aborted) return;
    this.timer = setInterval(() => {
      if (this.acc.count > 0) this.seal();
      else this.stopTimer();
    }, this.opts.intervalMs);
    // The interval alone must not keep a Node process alive; unsent data is
    // handled by the exit hooks (sdk/node-exit.ts).
    (this.timer as { unref?: () => void }).unref?.();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
