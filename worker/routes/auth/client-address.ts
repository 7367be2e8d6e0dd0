import type { Context } from "hono";

// Cloudflare's edge sets CF-Connecting-IP and overwrites any value a client sends.
export const clientAddress = (c: Context) => c.req.header("cf-connecting-ip") ?? "unknown";
