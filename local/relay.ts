// A WebSocket-to-TCP relay standing in for Neon's proxy, so the Neon driver in
// workerd (and in Node) can reach a plain Postgres. Only the one configured
// database address may be dialled: the relay is not an open proxy.
//
// Production's DATABASE_URL is Neon's pooled endpoint (PgBouncer), where a
// request reuses a warm backend; forking a fresh one per request here cost a
// third of the ingest bench's CPU. So the relay pools like PgBouncer's session
// mode: keyed by the exact StartupMessage, the server's greeting replayed to
// later clients, DISCARD ALL at Terminate, any backend in doubt closed.
import { createConnection, type Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { DISCARD_ALL, GreetingRecorder, ResetReader, SessionTracker, TERMINATE, takeStartup } from "./pg-wire.ts";

export type Relay = { port: number; wsProxy: string; idle(): number; stop(): Promise<void> };

type Backend = { tcp: Socket; key: string; greeting: Buffer };

const MAX_IDLE_PER_KEY = 20;
const IDLE_MS = 60_000;

export async function startRelay(opts: { target: { host: string; port: number }; port?: number }): Promise<Relay> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: opts.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const sockets = new Set<Socket>();
  const pool = new IdlePool();
  let stopped = false;
  const dial = () => {
    const tcp = createConnection({ host: opts.target.host, port: opts.target.port });
    tcp.setNoDelay(true);
    // Errors are always followed by 'close', which each phase handles.
    tcp.on("error", () => {});
    sockets.add(tcp);
    tcp.once("close", () => sockets.delete(tcp));
    return tcp;
  };
  const session = (ws: WebSocket, startup: Buffer, rest: Buffer) => {
    const key = startup.toString("latin1");
    const reused = pool.take(key);
    const backend: Backend = reused ?? { tcp: dial(), key, greeting: Buffer.alloc(0) };
    const { tcp } = backend;
    const recorder = reused ? null : new GreetingRecorder();
    const tracker = new SessionTracker();
    let pooled = true; // false once the greeting shows a backend that may not be shared
    if (reused) ws.send(backend.greeting);
    else tcp.write(startup);
    const abort = () => void (tcp.destroy(), ws.terminate());
    const detach = () => {
      ws.off("message", fromClient);
      ws.off("close", onWsClose);
      tcp.off("data", fromServer);
      tcp.off("close", onTcpClose);
    };
    const finish = () => {
      detach();
      const greeted = !recorder || (recorder.done && recorder.poolable);
      if (!greeted || !tracker.reusable || stopped) {
        // Never reused: a backend mid-transaction or in doubt just ends.
        tcp.end(TERMINATE);
        ws.close();
        return;
      }
      if (recorder) backend.greeting = recorder.bytes;
      void reset(tcp).then((clean) => {
        if (clean && !stopped) pool.put(backend);
        else tcp.destroy();
        ws.close();
      });
    };
    const fromClient = (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = toBuffer(data);
      if (!pooled) return tcp.write(buf);
      try {
        const forward = tracker.fromClient(buf);
        if (forward.length) tcp.write(forward);
      } catch {
        return abort();
      }
      if (tracker.terminated) finish();
    };
    const fromServer = (chunk: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
      if (!pooled) return;
      try {
        let after = chunk;
        if (recorder && !recorder.done) {
          const end = recorder.push(chunk);
          if (!recorder.done) return;
          if (!recorder.poolable) return void (pooled = false);
          after = chunk.subarray(end);
        }
        tracker.fromServer(after);
      } catch {
        abort();
      }
    };
    // The client went away without Terminate: its session state is unknown.
    const onWsClose = () => void (detach(), tcp.destroy());
    const onTcpClose = () => void (detach(), ws.close());
    ws.on("message", fromClient);
    ws.on("close", onWsClose);
    tcp.on("data", fromServer);
    tcp.on("close", onTcpClose);
    if (rest.length) fromClient(rest);
  };
  wss.on("connection", (ws) => {
    ws.on("error", () => ws.terminate());
    let early = Buffer.alloc(0);
    const onEarly = (data: Buffer | ArrayBuffer | Buffer[]) => {
      early = Buffer.concat([early, toBuffer(data)]);
      const startup = takeStartup(early);
      if (!startup) return;
      ws.off("message", onEarly);
      if (startup.kind === "startup") session(ws, startup.bytes, startup.rest);
      else pipe(ws, dial(), [early]);
    };
    ws.on("message", onEarly);
  });
  const port = (wss.address() as { port: number }).port;
  return {
    port,
    // The driver asks for `${wsProxy}?address=host:port`; the relay ignores the
    // address it is sent and always dials its own target.
    wsProxy: `127.0.0.1:${port}/v1`,
    idle: () => pool.size(),
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        for (const s of sockets) s.destroy();
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

// Idle backends by startup key, newest reused first so the oldest age out.
// Any byte or close from an idle backend means it is no longer clean: dropped.
class IdlePool {
  private idle = new Map<string, { backend: Backend; drop(): void }[]>();

  size(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  take(key: string): Backend | undefined {
    for (let entry; (entry = this.idle.get(key)?.pop()); ) {
      entry.drop();
      if (!entry.backend.tcp.destroyed) return entry.backend;
    }
  }

  put(backend: Backend): void {
    const list = this.idle.get(backend.key) ?? [];
    if (list.length >= MAX_IDLE_PER_KEY) return void backend.tcp.destroy();
    const evict = () => {
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
      entry.drop();
      backend.tcp.destroy();
    };
    const timer = setTimeout(evict, IDLE_MS);
    timer.unref();
    const entry = {
      backend,
      drop: () => {
        clearTimeout(timer);
        backend.tcp.off("data", evict);
        backend.tcp.off("close", evict);
      },
    };
    backend.tcp.on("data", evict);
    backend.tcp.on("close", evict);
    list.push(entry);
    this.idle.set(backend.key, list);
  }
}

// DISCARD ALL ends the session's state (settings, prepared statements, temp
// tables, listens) without forwarding its answer to anyone.
function reset(tcp: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const reader = new ResetReader();
    const done = (clean: boolean) => {
      clearTimeout(timer);
      tcp.off("data", onData);
      tcp.off("close", onClose);
      resolve(clean);
    };
    const onData = (chunk: Buffer) => {
      try {
        const result = reader.push(chunk);
        if (result !== "pending") done(result === "clean");
      } catch {
        done(false);
      }
    };
    const onClose = () => done(false);
    const timer = setTimeout(onClose, 5_000);
    tcp.on("data", onData);
    tcp.on("close", onClose);
    tcp.write(DISCARD_ALL);
  });
}

// Plain pass-through for first messages that are not a v3 StartupMessage
// (e.g. an SSLRequest). Writes made while the TCP side connects are queued by Node.
function pipe(ws: WebSocket, tcp: Socket, early: Buffer[]) {
  for (const buf of early) tcp.write(buf);
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => tcp.write(toBuffer(data)));
  tcp.on("data", (chunk) => {
    if (ws.readyState === ws.OPEN) ws.send(chunk);
  });
  tcp.on("close", () => ws.close());
  tcp.on("error", () => ws.terminate());
  ws.on("close", () => tcp.destroy());
  ws.on("error", () => tcp.destroy());
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
}
