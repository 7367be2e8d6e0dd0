import { Hono, type Context } from "hono";
import { readConfig, type AppEnv } from "../../env";
import { createDb } from "../../lib/db";
import { sharePreview, type SharePreview } from "../../services/share-page";
import { withPreview, type PagePreview } from "./html";

// /share/<token> and /share/<token>/embed/<block>: not API routes but the
// dashboard's page, answered by the Worker (wrangler.toml run_worker_first) so
// that a live link's page carries its report's title and description for link
// previews, and so share pages, alone, may be framed by other sites.
export const sharePageRouter = new Hono<AppEnv>();

// Revocation must show at once, so neither the browser nor a proxy keeps the page.
const headers = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "frame-ancestors *",
  // The token is in the URL: links out of a report must not carry it along.
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

async function page(c: Context<AppEnv>, token: string | undefined) {
  const preview = token ? await lookup(c, token) : null;
  const index = await indexHtml(c);
  const url = new URL(c.req.url);
  const meta: PagePreview = preview ? { ...preview, url: `${url.origin}/share/${token}` } : null;
  return c.body(withPreview(index, meta), preview ? 200 : 404, headers);
}

async function lookup(c: Context<AppEnv>, token: string): Promise<SharePreview | null> {
  if (!token.startsWith("shr_")) return null;
  const { db, close } = createDb(readConfig(c.env));
  try {
    return await sharePreview(db, token);
  } finally {
    c.executionCtx.waitUntil(close());
  }
}

// The SPA's shell from the static assets (no ASSETS binding: a bare shell that says so).
async function indexHtml(c: Context<AppEnv>): Promise<string> {
  if (!c.env.ASSETS) return "<!doctype html><html><head><title>Sightline</title></head><body>The dashboard is not built.</body></html>";
  const res = await c.env.ASSETS.fetch(new Request(new URL("/", c.req.url)));
  return res.text();
}

sharePageRouter.get("/:token", (c) => page(c, c.req.param("token")));
sharePageRouter.get("/:token/embed/:block", (c) => page(c, c.req.param("token")));
// Any other path under /share/: the SPA's own "not found", naming nothing.
sharePageRouter.get("/*", (c) => page(c, undefined));
