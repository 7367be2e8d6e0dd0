import { createApp } from "./app";
import type { Bindings } from "./env";
import { runScheduled } from "./scheduled";

const app = createApp();

export default {
  fetch: app.fetch,
  // Awaited rather than handed to waitUntil, so the cron's work (and, locally,
  // wrangler's /__scheduled trigger that tests use) finishes before it reports.
  async scheduled(controller: ScheduledController, env: Bindings) {
    const outcome = await runScheduled(env, controller.scheduledTime);
    // Every task has run; a failure still marks the invocation failed in Cloudflare's cron log.
    const failed = Object.entries(outcome).filter(([, v]) => v !== "ok");
    if (failed.length) throw new Error(`scheduled tasks failed: ${failed.map(([k, v]) => `${k} ${v}`).join("; ")}`);
  },
} satisfies ExportedHandler<Bindings>;
