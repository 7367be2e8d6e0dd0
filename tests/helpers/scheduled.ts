import { expect } from "vitest";
import { stack } from "./api";

// Runs the Worker's real scheduled handler inside workerd, through wrangler
// dev's --test-scheduled trigger, and waits for it to finish.
export async function runCron(cron = "*/5 * * * *"): Promise<void> {
  const res = await fetch(`${stack().url}/__scheduled?cron=${encodeURIComponent(cron)}`);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(text).toMatch(/Ran scheduled event/);
}
