import { z } from "zod";
import type { Db } from "./lib/db";
import type { Storage } from "./lib/storage";
import type { Principal } from "./lib/principal";

// Bindings as Cloudflare hands them to the Worker: vars from wrangler.toml,
// secrets from `wrangler secret put`, and in local runs the values `npm start` passes.
export type Bindings = {
  ASSETS?: Fetcher;
  APP_ENV?: string;
  DATABASE_URL?: string;
  NEON_WS_PROXY?: string;
  JWT_KEYS?: string;
  S3_ENDPOINT?: string;
  S3_REGION?: string;
  S3_BUCKET?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  KEY_CACHE_TTL_SECONDS?: string;
  AUTH_RATE_LIMIT?: string;
  AUTH_RATE_WINDOW_SECONDS?: string;
  SESSION_TTL_HOURS?: string;
  CRASH_AFTER_SECONDS?: string;
  QUOTAS?: string;
  DEFAULT_PLAN?: string;
};

export type Variables = {
  requestId: string;
  config: Config;
  db: Db;
  storage: () => Storage;
  principal: Principal;
};

export type AppEnv = { Bindings: Bindings; Variables: Variables };

const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const configSchema = z.object({
  APP_ENV: z.enum(["production", "development", "test"]).default("production"),
  DATABASE_URL: z.string().url({ message: "DATABASE_URL must be a postgres:// URL" }),
  NEON_WS_PROXY: z.string().optional(),
  // Space-separated `kid:secret` pairs. The first signs new tokens; all verify,
  // so a key can be rotated in before the old one is dropped.
  JWT_KEYS: z
    .string()
    .min(1, "JWT_KEYS is required")
    .transform((raw, ctx) => {
      const keys = raw
        .trim()
        .split(/\s+/)
        .map((pair) => {
          const at = pair.indexOf(":");
          return { kid: pair.slice(0, at), secret: pair.slice(at + 1) };
        });
      for (const k of keys) {
        if (!k.kid || k.secret.length < 32) {
          ctx.addIssue({ code: "custom", message: "each JWT_KEYS entry is kid:secret with a secret of 32+ chars" });
          return z.NEVER;
        }
      }
      return keys;
    }),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default("auto"),
  S3_BUCKET: z.string().default("sightline-artifacts"),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  KEY_CACHE_TTL_SECONDS: intFrom(30, 0, 60),
  AUTH_RATE_LIMIT: intFrom(20, 1, 100_000),
  AUTH_RATE_WINDOW_SECONDS: intFrom(600, 1, 86_400),
  SESSION_TTL_HOURS: intFrom(24, 1, 24 * 30),
  CRASH_AFTER_SECONDS: intFrom(600, 10, 86_400),
  // "off" skips usage counting and the points quota at ingest: only for the
  // bench's check-on vs check-off comparison (docs/adr/0011); never in production.
  QUOTAS: z.enum(["on", "off"]).default("on"),
  // The plan new teams start on (an operator moves them later: npm run admin).
  // A self-hosted install or the bench may start every team on "enterprise".
  DEFAULT_PLAN: z.enum(["free", "team", "enterprise"]).default("free"),
});

export type Config = z.infer<typeof configSchema>;

// Bindings are fixed for an isolate's life, so they are checked once per env object.
const checked = new WeakMap<object, Config>();

export function readConfig(env: Bindings): Config {
  const hit = checked.get(env);
  if (hit) return hit;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Sightline is misconfigured: ${detail}`);
  }
  checked.set(env, parsed.data);
  return parsed.data;
}
