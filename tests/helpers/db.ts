import { Pool } from "@neondatabase/serverless";
import { useRelay } from "../../local/migrate.ts";
import { stack } from "./api";

// Direct SQL for tests that must act behind the API's back (another isolate
// revoking a key, checking what was stored).
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  useRelay(stack().wsProxy);
  const pool = new Pool({ connectionString: stack().databaseUrl, max: 1 });
  try {
    const res = await pool.query(text, params);
    return res.rows as T[];
  } finally {
    await pool.end();
  }
}
