import { createApp } from "./app";
import type { Bindings } from "./env";
import { runScheduled } from "./scheduled";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext) {
    ctx.waitUntil(runScheduled(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Bindings>;
