import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

// Requests that carry a body must say it is JSON and stay under the route's
// size limit. Checked before anything reads the body, so a hostile client
// cannot make the Worker buffer more than the limit.
// A null limit marks a route whose body is bytes; that route checks it itself.
export function jsonBody(limitFor: (path: string) => number | null) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const maxBytes = limitFor(c.req.path);
    if (maxBytes === null) return next();
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "DELETE" || method === "OPTIONS") return next();
    const length = c.req.header("content-length");
    const hasBody = (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
    if (!hasBody) return next();
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/(([a-z.+-]*\+)?json|x-ndjson)\b/i.test(type)) {
      throw new ApiError("unsupported_media_type", `Content-Type must be application/json (got ${type || "none"})`);
    }
    if (length !== undefined && Number(length) > maxBytes) {
      throw new ApiError("payload_too_large", `request body is larger than ${maxBytes} bytes`);
    }
    if (length === undefined && !(await fitsWithin(c.req.raw.clone(), maxBytes))) {
      throw new ApiError("payload_too_large", `request body is larger than ${maxBytes} bytes`);
    }
    await next();
  });
}

// A chunked body has no length up front: count it while reading, and stop at
// the cap rather than buffering whatever a client chooses to send.
async function fitsWithin(req: { body: ReadableStream<Uint8Array> | null }, maxBytes: number): Promise<boolean> {
  if (!req.body) return true;
  const reader = req.body.getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return false;
    }
  }
}
