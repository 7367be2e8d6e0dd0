import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

// Cloudflare's ray id when there is one, so our logs line up with theirs.
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
});
