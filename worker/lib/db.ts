import { Pool, neonConfig, type PoolClient } from "@neondatabase/serverless";
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
  neonConfig.webSocketConstructor = QuietWebSocket;
  if (!wsProxy) return;
  neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

// The pg client's wire connection (its server messages by name) and the flag
// its pool reads on release to end a client rather than keep it.
type ConnectCallback = (err: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void;
type ClientInternals = {
  connection: { on(event: "errorMessage", fn: (msg: { severity?: string; code?: string; message?: string }) => void): void };
  _queryable: boolean;
};

// The driver coalesces writes and sends them on a timer; when the socket has
// closed meanwhile (the backend died) the runtime throws "send() after close()"
// from that timer, an uncaught error per lost request. The bytes could not
// arrive anyway, and the socket's close event already reports the loss.
const QuietWebSocket = function (url: string): WebSocket {
  const ws = new WebSocket(url);
  const send = ws.send.bind(ws);
  ws.send = (data) => {
    try {
      send(data);
    } catch {
      // Closed: dropped on purpose (see above).
    }
  };
  return ws;
} as unknown as typeof WebSocket;

// Why each request's connection was lost, if it was: a request whose backend
// died (pg_terminate_backend, a Neon compute restart) failed for a reason the
// client should retry, whatever error its handler happened to surface.
const lostReasons = new WeakMap<Db, () => string | null>();

// One pool of one connection per request: it connects on the first query, is
// reused for the whole request, and is closed by the caller with waitUntil.
// With max 1, code inside db.transaction() must use its `tx`, never `db`.
export function createDb(config: Config): { db: Db; close: () => Promise<void> } {
  configureNeon(config.NEON_WS_PROXY);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  let lost: string | null = null;
  let signalLost = () => {};
  const lostSignal = new Promise<void>((resolve) => (signalLost = resolve));
  const markLost = (reason: string) => {
    lost ??= reason;
    signalLost();
  };
  // A connection that cannot be opened (the relay or Neon's proxy refusing, a
  // compute still starting) is the database being unavailable too, unless the
  // server refused the credentials or the database name: that is configuration.
  // The driver may reject with a WebSocket event, which is no Error and would
  // slip past the app's error handler, so it is wrapped in one.
  const connect = pool.connect.bind(pool) as (cb?: ConnectCallback) => Promise<PoolClient> | void;
  const connectFailed = (err: unknown): Error => {
    if (!/^(28|3D)/.test(String((err as { code?: unknown })?.code ?? ""))) markLost(describe(err));
    return err instanceof Error ? err : new Error(`could not connect to the database: ${describe(err)}`, { cause: err });
  };
  pool.connect = ((cb?: ConnectCallback) => {
    if (cb) return connect((err, client, done) => cb(err ? connectFailed(err) : err, client, done));
    return (connect() as Promise<PoolClient>).catch((err: unknown) => Promise.reject(connectFailed(err)));
  }) as Pool["connect"];
  // An idle client's connection error: the pool drops that client itself.
  pool.on("error", (err: unknown) => markLost(describe(err)));
  pool.on("connect", (client: PoolClient) => {
    // The pool listens only while a client is idle; without this listener a
    // connection dying under a running query is thrown as an uncaught error.
    client.on("error", (err) => markLost(describe(err)));
    // A FATAL error means the backend is exiting, and it reaches the running
    // query before the socket's close does. Marked unqueryable at once, the
    // client sends nothing more (no ROLLBACK into a closing socket) and the
    // pool ends it on release instead of handing it out again.
    const internals = client as unknown as ClientInternals;
    internals.connection.on("errorMessage", (msg) => {
      if (msg.severity !== "FATAL" && msg.severity !== "PANIC") return;
      internals._queryable = false;
      markLost(`${msg.code} ${msg.message}`);
    });
  });
  const db = drizzle({ client: pool });
  lostReasons.set(db, () => lost);
  // A client whose socket already closed waits forever for a second close
  // in end(): once the connection is lost there is nothing left to close.
  return { db, close: () => Promise.race([pool.end(), lostSignal]).catch(() => undefined) };
}

// SQLSTATEs that mean the server or the connection went away, not that the
// request was wrong: class 08 (connection exception), admin/crash shutdown,
// "cannot connect now" (a compute starting), too many connections, and the
// server's idle timeouts.
const UNAVAILABLE_STATES = /^(08...|57P0[1-5]|53300|25P03)$/;
// What the driver says when the socket closes under it (it has no SQLSTATE).
const LOST_MESSAGES = /Connection terminated|not queryable|WebSocket|socket hang up|ECONNRESET|ECONNREFUSED|send\(\) after close/i;

// The reason the request's database connection was lost, or null when the
// error is not a lost connection (a bug or a refusal, for the caller to map).
// The connection's own record comes first: it names the cause (57P01...),
// where the surfaced error is often only the failed ROLLBACK after it.
export function connectionLost(err: unknown, db: Db | undefined): string | null {
  const recorded = db && lostReasons.get(db)?.();
  if (recorded) return recorded;
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_STATES.test(code)) return describe(e);
    // Drizzle's "Failed query: <sql>" quotes the SQL; only its cause is read.
    if (e instanceof Error && LOST_MESSAGES.test(e.message) && !e.message.startsWith("Failed query")) return describe(e);
  }
  return null;
}

function describe(err: unknown): string {
  const event = err as { type?: unknown; message?: unknown } | null;
  if (!(err instanceof Error) && typeof event?.type === "string") return `WebSocket ${event.type} ${event.message ?? ""}`.trim();
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? `${code} ${err.message}` : err.message;
}
