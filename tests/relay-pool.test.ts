// The local relay pools Postgres backends like production's PgBouncer (session
// mode). A pooled backend handed on with its previous client's settings, open
// transaction or uncommitted rows would make local runs lie, so each of those
// is checked here against the real local Postgres, plus the frame parser
// itself with frames split at every byte.
import { Pool } from "@neondatabase/serverless";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { useRelay } from "../local/migrate.ts";
import { FrameSplitter, GreetingRecorder, ResetReader, SessionTracker, TERMINATE, queryMessage, takeStartup } from "../local/pg-wire.ts";
import { startRelay, type Relay } from "../local/relay.ts";
import { stack } from "./helpers/api";

// The run's own database on its server (embedded, or TEST_DATABASE_URL's).
const SERVER = new URL(stack().databaseUrl);
const DATABASE = SERVER.pathname.slice(1);
const URL_ = `postgres://postgres@${SERVER.host}/${DATABASE}`;
const TABLE = `relay_pool_${process.pid}_${Date.now().toString(36)}`;
let relay: Relay;

beforeAll(async () => {
  relay = await startRelay({ target: { host: SERVER.hostname, port: Number(SERVER.port || 5432) } });
  useRelay(relay.wsProxy);
  await withPool((pool) => pool.query(`create table ${TABLE} (note text)`));
});

afterAll(async () => {
  await withPool((pool) => pool.query(`drop table if exists ${TABLE}`));
  await relay.stop();
});

// One Pool lifetime, as one Worker request has: connect, work, pool.end().
async function withPool<T>(fn: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: URL_, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

// pool.end() may resolve before the relay has reset and parked the backend:
// a test that expects reuse first waits until `n` backends are parked.
async function parked(n: number) {
  for (let i = 0; i < 500 && relay.idle() < n; i++) await new Promise((r) => setTimeout(r, 20));
  expect(relay.idle()).toBe(n);
}

const pid = (pool: Pool) => pool.query("select pg_backend_pid() as pid").then((r) => Number(r.rows[0].pid));

describe("relay pooling (Neon driver)", () => {
  it("reuses one backend across sequential pool lifetimes", async () => {
    const first = await withPool(pid);
    await parked(1);
    const second = await withPool(pid);
    expect(second).toBe(first);
  });

  it("resets session settings before handing a backend on", async () => {
    const before = await withPool((pool) => pool.query("show statement_timeout"));
    const setter = await withPool(async (pool) => {
      await pool.query("set statement_timeout = '4321ms'");
      expect((await pool.query("show statement_timeout")).rows[0].statement_timeout).toBe("4321ms");
      return pid(pool);
    });
    await parked(1);
    const [after, next] = await withPool(async (pool) => [await pool.query("show statement_timeout"), await pid(pool)] as const);
    expect(next).toBe(setter);
    expect(after.rows[0].statement_timeout).toBe(before.rows[0].statement_timeout);
  });

  it("ends a backend whose client terminated mid-transaction", async () => {
    const abandoned = await withPool(async (pool) => {
      const client = await pool.connect();
      await client.query("begin");
      await client.query(`insert into ${TABLE} values ('terminated mid-transaction')`);
      const p = Number((await client.query("select pg_backend_pid() as pid")).rows[0].pid);
      client.release(true); // ends the client: Terminate sent while the status is 'T'
      return p;
    });
    await withPool(async (pool) => {
      expect(await pid(pool)).not.toBe(abandoned);
      expect((await pool.query("select txid_current_if_assigned() as x")).rows[0].x).toBeNull();
      expect((await pool.query(`select count(*)::int as n from ${TABLE}`)).rows[0].n).toBe(0);
    });
  });

  it("gives concurrent clients distinct backends, then reuses both", async () => {
    // Two requests at once, each holding its connection until both have one.
    const together = async () => {
      const pools = [0, 1].map(() => new Pool({ connectionString: URL_, max: 1 }));
      const clients = await Promise.all(pools.map((p) => p.connect()));
      const pids = await Promise.all(clients.map((c) => c.query("select pg_backend_pid() as pid").then((r) => Number(r.rows[0].pid))));
      clients.forEach((c) => c.release());
      await Promise.all(pools.map((p) => p.end()));
      return pids;
    };
    const before = relay.idle();
    const first = await together();
    expect(first[0]).not.toBe(first[1]);
    // The pair took up to two idle backends first, then parked both.
    await parked(before - Math.min(before, 2) + 2);
    expect(new Set(await together())).toEqual(new Set(first));
  });
});

// A bare client, so a test can drop the WebSocket without Terminate.
async function rawClient() {
  const ws = new WebSocket(`ws://${relay.wsProxy}?address=${SERVER.host}`);
  const frames: { type: number; body: Buffer }[] = [];
  let wake = () => {};
  const splitter = new FrameSplitter({ frame: (type, body) => void (frames.push({ type, body: body! }), wake()) }, () => true);
  ws.on("message", (data: Buffer) => splitter.push(data));
  const untilReady = async () => {
    for (;;) {
      const i = frames.findIndex((f) => f.type === 0x5a);
      if (i >= 0) return frames.splice(0, i + 1);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await once(ws, "open");
  ws.send(startupMessage({ user: "postgres", database: DATABASE }));
  await untilReady();
  return {
    async query(sql: string) {
      ws.send(queryMessage(sql));
      const got = await untilReady();
      const error = got.find((f) => f.type === 0x45);
      if (error) throw new Error(error.body.toString());
      const rows = got.filter((f) => f.type === 0x44).map((f) => f.body.subarray(6, 6 + f.body.readInt32BE(2)).toString());
      return { rows, status: String.fromCharCode(got.at(-1)!.body[0]!) };
    },
    end: (graceful: boolean) => (graceful ? ws.send(TERMINATE) : ws.close(), once(ws, "close")),
  };
}

function startupMessage(params: Record<string, string>): Buffer {
  const text = Buffer.from(`${Object.entries(params).map(([k, v]) => `${k}\0${v}\0`).join("")}\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + text.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, text]);
}

describe("relay pooling (bare client)", () => {
  it("never reuses a backend whose WebSocket closed without Terminate", async () => {
    const a = await rawClient();
    const [first] = (await a.query("select pg_backend_pid()")).rows;
    const idle = relay.idle();
    await a.end(true);
    await parked(idle + 1);
    const b = await rawClient();
    const opened = await b.query(`begin; insert into ${TABLE} values ('dropped mid-transaction'); select pg_backend_pid()`);
    expect(opened).toEqual({ rows: [first], status: "T" });
    await b.end(false);
    const c = await rawClient();
    const after = await c.query(`select pg_backend_pid(); select count(*) from ${TABLE}`);
    expect(after.rows[0]).not.toBe(first);
    expect(after).toMatchObject({ rows: [expect.any(String), "0"], status: "I" });
    await c.end(true);
  });
});

const frame = (type: string, body: Buffer | string = "") => {
  const b = Buffer.from(body);
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + b.length, 1);
  return Buffer.concat([head, b]);
};
const int32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const GREETING = Buffer.concat([frame("R", int32(0)), frame("S", "TimeZone\0UTC\0"), frame("K", Buffer.alloc(8, 7)), frame("Z", "I")]);

// Every way of cutting `bytes` in two, then the same fed one byte at a time.
function splits(bytes: Buffer): Buffer[][] {
  const out = [...Array(bytes.length + 1).keys()].map((i) => [bytes.subarray(0, i), bytes.subarray(i)]);
  return [...out, [...bytes].map((b) => Buffer.from([b]))];
}

describe("pg-wire frame parsing", () => {
  it("records the greeting however the server's bytes are split", () => {
    const stream = Buffer.concat([GREETING, frame("C", "BEGIN\0"), frame("Z", "T")]);
    for (const chunks of splits(stream)) {
      const rec = new GreetingRecorder();
      const tracker = new SessionTracker();
      for (const chunk of chunks) {
        const end = rec.done ? 0 : rec.push(chunk);
        if (rec.done) tracker.fromServer(chunk.subarray(Math.max(end, 0)));
      }
      expect(rec.poolable).toBe(true);
      expect(rec.bytes).toEqual(GREETING);
      expect(String.fromCharCode(tracker.status)).toBe("T");
    }
  });

  it("does not pool a greeting that asks for a password or reports an error", () => {
    for (const first of [frame("R", int32(5)), frame("E", "SFATAL\0\0")]) {
      const rec = new GreetingRecorder();
      rec.push(Buffer.concat([first, frame("R", int32(0)), frame("Z", "I")]));
      expect(rec).toMatchObject({ done: true, poolable: false });
    }
  });

  it("withholds Terminate and tells whether the backend was left idle", () => {
    const before = Buffer.concat([frame("Q", "select 1\0"), frame("P", "\0select 2\0\0\0"), frame("B", Buffer.alloc(10)), frame("E", Buffer.alloc(5)), frame("S")]);
    for (const chunks of splits(Buffer.concat([before, TERMINATE]))) {
      const tracker = new SessionTracker();
      const forwarded = Buffer.concat(chunks.map((c) => tracker.fromClient(c)));
      expect(forwarded).toEqual(before);
      expect(tracker.terminated).toBe(true);
      expect(tracker.reusable).toBe(false); // two answers still owed
      tracker.fromServer(Buffer.concat([frame("Z", "I"), frame("Z", "I")]));
      expect(tracker.reusable).toBe(true);
    }
  });

  it("refuses reuse inside a transaction, with a Sync owed, or mid-frame", () => {
    const inTx = new SessionTracker();
    inTx.fromClient(Buffer.concat([frame("Q", "begin\0"), TERMINATE]));
    inTx.fromServer(frame("Z", "T"));
    const loose = new SessionTracker();
    loose.fromClient(Buffer.concat([frame("P", "\0select 1\0\0\0"), TERMINATE]));
    const partial = new SessionTracker();
    partial.fromClient(Buffer.concat([frame("Q", "select 1\0"), TERMINATE]));
    partial.fromServer(Buffer.concat([frame("Z", "I"), frame("N", "x").subarray(0, 3)]));
    expect([inTx, loose, partial].map((t) => [t.terminated, t.reusable])).toEqual([[true, false], [true, false], [true, false]]);
  });

  it("reads DISCARD ALL's answer and the startup packet", () => {
    const answer = Buffer.concat([frame("C", "DISCARD ALL\0"), frame("Z", "I")]);
    for (const chunks of splits(answer)) {
      const reader = new ResetReader();
      expect(chunks.map((c) => reader.push(c)).at(-1)).toBe("clean");
    }
    expect(new ResetReader().push(Buffer.concat([frame("E", "x\0"), frame("Z", "I")]))).toBe("dirty");
    expect(new ResetReader().push(Buffer.concat([answer, frame("N", "x\0")]))).toBe("dirty");
    const startup = startupMessage({ user: "u", database: "d" });
    expect(takeStartup(startup.subarray(0, 9))).toBeNull();
    expect(takeStartup(Buffer.concat([startup, frame("Q", "x\0")]))).toMatchObject({ kind: "startup", bytes: startup, rest: frame("Q", "x\0") });
    expect(takeStartup(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]))).toEqual({ kind: "other" }); // SSLRequest
  });
});
