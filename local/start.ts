// `npm start`: the whole product on this machine with embedded defaults.
// Set DATABASE_URL to use a real Postgres instead of the embedded one.
import { join } from "node:path";
import { root, startStack } from "./stack.ts";
import { buildDashboard } from "../dashboard/build.mjs";

const dataDir = process.env.SIGHTLINE_DATA_DIR ?? join(root, ".sightline");
const port = Number(process.env.PORT ?? 8787);

await buildDashboard();
const stack = await startStack({
  dataDir,
  databaseUrl: process.env.DATABASE_URL,
  port,
  s3Port: process.env.S3_PORT ? Number(process.env.S3_PORT) : undefined,
  appEnv: "development",
  log: (line) => console.log(`  ${line}`),
});

// wrangler dev runs no crons; tick the scheduled handler the way Cloudflare would.
const cron = setInterval(() => {
  fetch(`${stack.url}/__scheduled?cron=*/5+*+*+*+*`).catch(() => {});
}, 60_000);

console.log(`\nSightline is running at ${stack.url}  (data in ${dataDir})`);
console.log(`  API docs: ${stack.url}/api/openapi.json   Ctrl-C stops everything.\n`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(cron);
  console.log("\nstopping…");
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
