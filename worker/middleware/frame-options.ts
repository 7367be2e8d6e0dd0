import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

// Clickjacking: no site may frame the dashboard or the API, except share pages
// (/share/*, whose embeds are made to be framed; they set their own header).
// Static asset responses get the same headers from dashboard/src/_headers.
export const frameOptions = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.path.startsWith("/share/")) return;
  // A response passed through from fetch() has immutable headers: copy it first.
  let res = c.res;
  try {
    res.headers.set("x-frame-options", "DENY");
  } catch {
    res = c.res = new Response(res.body, res);
    res.headers.set("x-frame-options", "DENY");
  }
  if (!res.headers.has("content-security-policy")) res.headers.set("content-security-policy", "frame-ancestors 'none'");
});
