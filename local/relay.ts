// A WebSocket-to-TCP relay standing in for Neon's proxy, so the Neon driver in
// workerd (and in Node) can reach a plain Postgres. Only the one configured
// database address may be dialled: the relay is not an open proxy.
import { createConnection, type Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export type Relay = { port: number; wsProxy: string; stop(): Promise<void> };

// `exclusive`: PGlite has one backend that every connection shares, so two
// connections' transactions can interleave; the relay then lets one connection
// through at a time and queues the rest (each Worker request holds one briefly).
export async function startRelay(opts: { target: { host: string; port: number }; port?: number; exclusive?: boolean }): Promise<Relay> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: opts.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const sockets = new Set<Socket>();
  const waiting: (() => void)[] = [];
  let open = 0;
  const release = () => {
    open--;
    waiting.shift()?.();
  };
  wss.on("connection", (ws) => {
    const early: Buffer[] = [];
    const hold = (data: Buffer) => early.push(Buffer.from(data));
    ws.on("message", hold);
    const start = () => {
      open++;
      if (ws.readyState !== ws.OPEN) return release();
      const tcp = createConnection({ host: opts.target.host, port: opts.target.port });
      tcp.setNoDelay(true);
      sockets.add(tcp);
      ws.off("message", hold);
      pipe(ws, tcp, early);
      tcp.once("close", () => {
        sockets.delete(tcp);
        release();
      });
    };
    if (!opts.exclusive || open === 0) start();
    else waiting.push(start);
  });
  const port = (wss.address() as { port: number }).port;
  return {
    port,
    // The driver asks for `${wsProxy}?address=host:port`; the relay ignores the
    // address it is sent and always dials its own target.
    wsProxy: `127.0.0.1:${port}/v1`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

function pipe(ws: WebSocket, tcp: Socket, early: Buffer[]) {
  const terminate = watchForTerminate(() => tcp.end());
  const pending: Buffer[] = [];
  let connected = false;
  for (const b of early) {
    pending.push(b);
    terminate(b);
  }
  tcp.once("connect", () => {
    connected = true;
    for (const b of pending) tcp.write(b);
    pending.length = 0;
  });
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (connected) tcp.write(buf);
    else pending.push(buf);
    terminate(buf);
  });
  tcp.on("data", (chunk) => {
    if (ws.readyState === ws.OPEN) ws.send(chunk);
  });
  tcp.on("close", () => ws.close());
  tcp.on("error", () => ws.terminate());
  ws.on("close", () => tcp.destroy());
  ws.on("error", () => tcp.destroy());
}

// PGlite's socket server keeps the TCP connection open after a Terminate
// message, which would pin its single backend; so the relay parses the client's
// message stream and closes the TCP side itself once Terminate ('X') goes by.
function watchForTerminate(onTerminate: () => void): (chunk: Buffer) => void {
  let startupDone = false;
  let carry = Buffer.alloc(0);
  return (chunk) => {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    for (;;) {
      if (!startupDone) {
        if (buf.length < 4) break;
        const len = buf.readInt32BE(0);
        if (buf.length < len) break;
        buf = buf.subarray(len);
        startupDone = true;
        continue;
      }
      if (buf.length < 5) break;
      const type = buf[0];
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) break;
      buf = buf.subarray(1 + len);
      if (type === 0x58) {
        setTimeout(onTerminate, 10);
        break;
      }
    }
    carry = Buffer.from(buf);
  };
}
