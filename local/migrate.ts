// Applies the drizzle-kit migrations through the same Neon driver and relay the
// Worker uses, so local runs exercise the production connection path.
import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import { fileURLToPath } from "node:url";
import ws from "ws";

const migrationsFolder = fileURLToPath(new URL("../schema/migrations", import.meta.url));

export function useRelay(wsProxy: string) {
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

export function useNeonDirect() {
  neonConfig.webSocketConstructor = ws;
}

export async function migrateDatabase(url: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder });
  } finally {
    await pool.end();
  }
}

export async function withPool<T>(url: string, fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

// Test runs each get a database of their own on the shared server.
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await withPool(serverUrl, (pool) => pool.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await withPool(serverUrl, (pool) => pool.query(`drop database if exists ${name} with (force)`));
}

export async function serverVersion(url: string): Promise<string> {
  return withPool(url, async (pool) => String((await pool.query("show server_version")).rows[0].server_version));
}
