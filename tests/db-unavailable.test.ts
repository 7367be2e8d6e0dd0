// A Postgres backend that dies mid-request (pg_terminate_backend, a Neon
// compute restart) is the database being briefly unavailable, not a bug: the
// answer is a 503 the client retries, no dead backend is handed out again,
// and a batch whose transaction died is stored exactly once on retry.
//
// Deterministic without sleeps: the test holds a row lock on the run, so the
// Worker's request parks on it; the Worker's backend is the one that
// pg_blocking_pids names as waiting for the test's backend.
import { Pool, type PoolClient } from "@neondatabase/serverless";
import { beforeAll, describe, expect, test } from "vitest";
import { sql as q } from "drizzle-orm";
import { createServer } from "node:net";
import { useRelay } from "../local/migrate.ts";
import { startRelay, type Relay } from "../local/relay.ts";
import type { Config } from "../worker/env";
import { connectionLost, createDb } from "../worker/lib/db";
import { api, stack } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";
import { ingest, ingestOk, newRun } from "./metrics-helpers";

// Two connections of the test's own, outside the Worker: one holds a row lock
// across statements; the other watches and kills. (The holder cannot watch:
// inside its transaction pg_stat_activity stays the snapshot it first read.)
async function holdRunLock(runId: string) {
  useRelay(stack().wsProxy);
  const pool = new Pool({ connectionString: stack().databaseUrl, max: 2 });
  const holder: PoolClient = await pool.connect();
  const watcher: PoolClient = await pool.connect();
  await holder.query("begin");
  await holder.query("select id from runs where id = $1 for update", [runId]);
  const pid = Number((await holder.query("select pg_backend_pid() as pid")).rows[0].pid);
  return {
    // The one backend waiting for this lock: the Worker's, once its request reaches the run row.
    async waiter(): Promise<number> {
      for (let i = 0; i < 1500; i++) {
        const r = await watcher.query("select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))", [pid]);
        if (r.rows.length === 1) return Number(r.rows[0].pid);
        expect(r.rows.length).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("the Worker's request never waited for the run lock");
    },
    // Kills `pid` and waits (up to 10 s) until its process has exited.
    async terminate(target: number) {
      const r = await watcher.query("select pg_terminate_backend($1, 10000) as ok", [target]);
      expect(r.rows[0].ok).toBe(true);
    },
    async release() {
      await holder.query("rollback");
      holder.release();
      watcher.release();
      await pool.end();
    },
  };
}

// Sends a request that blocks on the run's row lock, kills the Worker's backend
// while it waits, and returns the request's answer.
async function killedWhileWaiting<T>(runId: string, send: () => Promise<T>): Promise<T> {
  const lock = await holdRunLock(runId);
  const pending = send();
  try {
    await lock.terminate(await lock.waiter());
  } finally {
    await lock.release();
  }
  return pending;
}

const series = (from: number, n: number) => ({
  loss: { steps: Array.from({ length: n }, (_, i) => from + i), values: Array.from({ length: n }, (_, i) => (from + i) / 7) },
});

async function storedPoints(runId: string) {
  const [row] = await sql<{ points: number; chunks: number }>(
    `select coalesce(sum(c.count), 0)::int as points, count(*)::int as chunks
     from metric_chunks c join metric_series s on s.team_id = c.team_id and s.id = c.series_id where s.run_id = $1`,
    [runId],
  );
  const batches = await sql<{ seq: number }>("select seq::int as seq from metric_batches where run_id = $1 order by seq", [runId]);
  return { points: row!.points, batches: batches.map((b) => b.seq) };
}

describe("a backend killed mid-request", () => {
  let team: Team;
  beforeAll(async () => {
    team = await makeTeam();
  });

  test("is a 503 unavailable with Retry-After; the batch retried with its seq is stored exactly once", async () => {
    const run = await newRun(team);
    expect(await ingestOk(team, run, 1, series(0, 300))).toEqual({ accepted: 300, duplicate: false });

    const res = await killedWhileWaiting(run, () => ingest(team, run, { seq: 2, metrics: series(300, 500) }));
    expectError(res, 503, "unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(res.body.error.message).toMatch(/database/i);
    // The transaction died: nothing of seq 2 was recorded.
    expect(await storedPoints(run)).toEqual({ points: 300, batches: [1] });

    // The very next request works (no dead backend handed out), and the retry
    // of seq 2 is stored once; a second retry is a duplicate.
    expect(await ingestOk(team, run, 2, series(300, 500))).toEqual({ accepted: 500, duplicate: false });
    expect(await ingestOk(team, run, 2, series(300, 500))).toEqual({ accepted: 0, duplicate: true });
    expect(await storedPoints(run)).toEqual({ points: 800, batches: [1, 2] });
    const got = await api("GET", `/api/v1/runs/${run}`, { creds: team.creds });
    expect(got.status, got.text).toBe(200);
    expect(got.body.run.summary.loss).toMatchObject({ count: 800, step: 799 });
  });

  test("a single statement outside a transaction is a 503 too, and the same request then succeeds", async () => {
    const run = await newRun(team);
    // Renaming the run takes its row lock, outside any explicit transaction.
    const res = await killedWhileWaiting(run, () => api("PATCH", `/api/v1/runs/${run}`, { creds: team.creds, json: { name: "renamed" } }));
    expectError(res, 503, "unavailable");
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    const again = await api("PATCH", `/api/v1/runs/${run}`, { creds: team.creds, json: { name: "renamed" } });
    expect(again.status, again.text).toBe(200);
    expect(again.body.run.name).toBe("renamed");
  });
});

// The local relay pools backends the way Neon's pooled endpoint does; one that
// dies while parked must be dropped, never handed to the next client.
describe("the relay's idle pool", () => {
  test("drops a backend killed while parked; the next client gets a live one", async () => {
    const server = new URL(stack().databaseUrl);
    const relay: Relay = await startRelay({ target: { host: server.hostname, port: Number(server.port || 5432) } });
    // `application_name` keeps these backends apart from every other test's.
    const url = `postgres://postgres@${server.host}${server.pathname}?application_name=db_unavailable_${Date.now()}`;
    const session = async () => {
      useRelay(relay.wsProxy);
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        return Number((await pool.query("select pg_backend_pid() as pid")).rows[0].pid);
      } finally {
        await pool.end();
      }
    };
    const parked = async () => {
      for (let i = 0; i < 500 && relay.idle() < 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(relay.idle()).toBe(1);
    };
    try {
      const first = await session();
      await parked();
      expect(await session()).toBe(first); // pooled: the same backend again
      await parked();
      const [killed] = await sql<{ ok: boolean }>("select pg_terminate_backend($1, 10000) as ok", [first]);
      expect(killed!.ok).toBe(true);
      const next = await session();
      expect(next).not.toBe(first);
      await parked();
      expect(await session()).toBe(next);
    } finally {
      await relay.stop();
    }
  });
});

// Neon's proxy failing to reach a compute, or no proxy at all: the Worker's
// own db module (the real driver, run here in Node) must call either a lost
// connection, and reject with an Error, which the app's error handler needs.
describe("a database that cannot be reached", () => {
  const closedPort = async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  };
  const failures = async (wsProxy: string) => {
    const { db, close } = createDb({ DATABASE_URL: stack().databaseUrl, NEON_WS_PROXY: wsProxy } as Config);
    try {
      const query = await db.execute(q`select 1`).then(() => null, (e: unknown) => e);
      const tx = await db.transaction((t) => t.execute(q`select 1`)).then(() => null, (e: unknown) => e);
      return [query, tx].map((err) => ({ isError: err instanceof Error, lost: connectionLost(err, db) }));
    } finally {
      await close();
    }
  };

  test("a proxy that cannot reach Postgres", async () => {
    const relay = await startRelay({ target: { host: "127.0.0.1", port: await closedPort() } });
    try {
      for (const f of await failures(relay.wsProxy)) expect(f).toEqual({ isError: true, lost: expect.stringMatching(/terminated/i) });
    } finally {
      await relay.stop();
    }
  });

  test("no proxy listening at all", async () => {
    for (const f of await failures(`127.0.0.1:${await closedPort()}/v1`)) expect(f).toEqual({ isError: true, lost: expect.any(String) });
  });
});
