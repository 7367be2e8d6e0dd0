import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import type { Config } from "../env";

// No relational schema is passed: handlers use the query builder, and drizzle
// would otherwise rebuild the relational config for every request.
export type Db = NeonDatabase;
// A handle services can write through: the request's Db or a transaction's tx.
export type Writer = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

// Local runs and tests reach a plain Postgres through a WebSocket relay that
// stands in for Neon's proxy; in production these stay at Neon's defaults.
function configureNeon(wsProxy: string | undefined) {
  if (!wsProxy) return;
  neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

// One pool of one connection per request: it connects on the first query, is
// reused for the whole request, and is closed by the caller with waitUntil.
// With max 1, code inside db.transaction() must use its `tx`, never `db`.
export function createDb(config: Config): { db: Db; close: () => Promise<void> } {
  configureNeon(config.NEON_WS_PROXY);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  pool.on("error", () => {
    // A dropped idle connection is reported here; the next query reconnects.
  });
  const db = drizzle({ client: pool });
  return { db, close: () => pool.end().catch(() => undefined) };
}
