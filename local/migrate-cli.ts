// `npm run db:migrate`: apply migrations to DATABASE_URL (a real Postgres),
// through the same relay the Worker uses locally.
import { migrateDatabase, useNeonDirect, useRelay } from "./migrate.ts";
import { startRelay } from "./relay.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm start migrates its embedded database by itself)");
  process.exit(2);
}
const u = new URL(url);
const local = ["127.0.0.1", "localhost", "::1"].includes(u.hostname);
// A local server is reached through the relay; Neon through its own proxy.
const relay = local ? await startRelay({ target: { host: u.hostname, port: Number(u.port || 5432) } }) : null;
if (relay) useRelay(relay.wsProxy);
else useNeonDirect();
try {
  await migrateDatabase(url);
  console.log("migrations applied");
} finally {
  await relay?.stop();
}
