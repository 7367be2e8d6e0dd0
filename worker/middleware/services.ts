import { createMiddleware } from "hono/factory";
import { readConfig, type AppEnv } from "../env";
import { createDb } from "../lib/db";
import { createStorage } from "../lib/storage";

// Per-request services, built from bindings (never a module-level client) and
// closed after the response with waitUntil.
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  const { db, close } = createDb(config);
  c.set("config", config);
  c.set("db", db);
  c.set("storage", createStorage(config));
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(close());
  }
});
