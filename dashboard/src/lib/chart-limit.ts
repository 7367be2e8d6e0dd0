// A page of 50 charts asks for 50 bucket reads at once; a few at a time, in
// page order, draws the top charts first instead of all of them late.
// Six: a browser's connections per host over HTTP/1.1.
const MAX_IN_FLIGHT = 6;
let inFlight = 0;
const waiting: (() => void)[] = [];

export async function limited<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => waiting.push(r));
  inFlight++;
  try {
    if (signal?.aborted) throw new DOMException("aborted", "AbortError");
    return await fn();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}
