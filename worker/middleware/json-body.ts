import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

// Requests that carry a body must say it is JSON and stay under the route's
// size limit. Checked before anything reads the body, so a hostile client
// cannot make the Worker buffer more than the limit.
export function jsonBody(limitFor: (path: string) => number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const maxBytes = limitFor(c.req.path);
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
    if (length === undefined) {
      const body = await c.req.raw.clone().arrayBuffer();
      if (body.byteLength > maxBytes) throw new ApiError("payload_too_large", `request body is larger than ${maxBytes} bytes`);
    }
    await next();
  });
}
