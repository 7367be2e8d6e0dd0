// Just enough of the Postgres wire protocol (v3) for the local relay to pool
// backend connections the way PgBouncer's session mode does: split byte
// streams into frames, record a server's greeting, and tell at Terminate
// whether the backend was left idle. Pure (no sockets), so every piece can be
// fed frames split at any byte in unit tests.

export const PROTOCOL_3 = 196608;
const MAX_STARTUP = 10_000; // Postgres's own limit for a startup packet

const Client = { Query: 0x51, Sync: 0x53, FunctionCall: 0x46, Terminate: 0x58, CopyData: 0x64, CopyDone: 0x63, CopyFail: 0x66 };
const Server = { Auth: 0x52, ParameterStatus: 0x53, BackendKeyData: 0x4b, ReadyForQuery: 0x5a, Error: 0x45 };
export const IDLE = 0x49; // ReadyForQuery status 'I': not in a transaction block

export const TERMINATE = Buffer.from([Client.Terminate, 0, 0, 0, 4]);

export function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`);
  const head = Buffer.alloc(5);
  head[0] = Client.Query;
  head.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([head, text]);
}

export const DISCARD_ALL = queryMessage("DISCARD ALL");

export type Startup = { kind: "startup"; bytes: Buffer; rest: Buffer } | { kind: "other" };

// The client's first message once it is whole; "other" for what is not a v3
// StartupMessage (SSLRequest, CancelRequest…), which the relay never pools.
export function takeStartup(buf: Buffer): Startup | null {
  if (buf.length < 8) return null;
  const len = buf.readInt32BE(0);
  if (len < 8 || len > MAX_STARTUP || buf.readInt32BE(4) !== PROTOCOL_3) return { kind: "other" };
  if (buf.length < len) return null;
  return { kind: "startup", bytes: Buffer.from(buf.subarray(0, len)), rest: buf.subarray(len) };
}

// Return true from a callback to stop: push() then returns the offset it
// stopped at (before the frame for start, after it for frame).
export type FrameHandler = {
  start?(type: number, at: number): boolean | void;
  frame?(type: number, body: Buffer | null, end: number): boolean | void;
};

// Splits a stream of type + int32 length frames, whatever the chunking.
// `untypedFirst`: the first frame is a startup packet (int32 length, no type;
// reported as type 0). Only bodies of the types `keep` names are gathered.
export class FrameSplitter {
  private head = Buffer.alloc(5);
  private have = 0; // header bytes of the current frame seen so far
  private left = 0; // body bytes of the current frame still to come
  private parts: Buffer[] | null = null;
  private untyped: boolean;
  private handler: FrameHandler;
  private keep: (type: number) => boolean;

  // No parameter properties: Node's type stripping (`npm start`) rejects them.
  constructor(handler: FrameHandler, keep: (type: number) => boolean = () => false, opts: { untypedFirst?: boolean } = {}) {
    this.handler = handler;
    this.keep = keep;
    this.untyped = opts.untypedFirst ?? false;
  }

  get atBoundary(): boolean {
    return this.have === 0;
  }

  push(chunk: Buffer): number {
    let i = 0;
    while (i < chunk.length) {
      const headSize = this.untyped ? 4 : 5;
      if (this.have < headSize) {
        if (this.have === 0 && !this.untyped && this.handler.start?.(chunk[i]!, i)) return i;
        const n = Math.min(headSize - this.have, chunk.length - i);
        chunk.copy(this.head, this.have, i, i + n);
        this.have += n;
        i += n;
        if (this.have < headSize) return i;
        const len = this.head.readInt32BE(headSize - 4);
        if (len < 4) throw new Error(`pg-wire: bad frame length ${len}`);
        this.left = len - 4;
        this.parts = this.keep(this.type) ? [] : null;
      }
      const n = Math.min(this.left, chunk.length - i);
      if (this.parts && n > 0) this.parts.push(Buffer.from(chunk.subarray(i, i + n)));
      this.left -= n;
      i += n;
      if (this.left > 0) return i;
      const type = this.type;
      const body = this.parts && Buffer.concat(this.parts);
      this.have = 0;
      this.parts = null;
      this.untyped = false;
      if (this.handler.frame?.(type, body, i)) return i;
    }
    return i;
  }

  private get type(): number {
    return this.untyped ? 0 : this.head[0]!;
  }
}

// The server's answer to a startup, up to and including its first
// ReadyForQuery, to replay to later clients of the same backend. Poolable only
// for a plain AuthenticationOk (trust): a password or any other exchange
// involves the client, so such a backend is never handed to another.
export class GreetingRecorder {
  done = false;
  poolable = true;
  private authOk = false;
  private parts: Buffer[] = [];
  private splitter = new FrameSplitter(
    {
      frame: (type, body) => {
        if (type === Server.Auth && body!.length >= 4 && body!.readInt32BE(0) === 0 && !this.authOk) this.authOk = true;
        else if (type === Server.ReadyForQuery) {
          this.done = true;
          if (!this.authOk || body![0] !== IDLE) this.poolable = false;
          return true;
        } else if (type !== Server.ParameterStatus && type !== Server.BackendKeyData) this.poolable = false;
      },
    },
    (type) => type === Server.Auth || type === Server.ReadyForQuery,
  );

  // Returns the offset in `chunk` just past the greeting once it is whole, else -1.
  push(chunk: Buffer): number {
    if (this.done) return 0;
    const end = this.splitter.push(chunk);
    this.parts.push(Buffer.from(chunk.subarray(0, end)));
    return this.done ? end : -1;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

// Follows one client's session in both directions to tell, at Terminate,
// whether the backend is idle and in a known state: every Query, Sync and
// FunctionCall answered by its ReadyForQuery, no extended-protocol message
// left without a Sync, nothing half sent, and the last status 'I'.
export class SessionTracker {
  terminated = false;
  status = IDLE;
  private asked = 0;
  private answered = 0;
  private loose = false;
  private client = new FrameSplitter({
    start: (type) => {
      if (type === Client.Terminate) return (this.terminated = true);
    },
    frame: (type) => {
      if (type === Client.Query || type === Client.Sync || type === Client.FunctionCall) {
        this.asked++;
        this.loose = false;
      } else if (type !== Client.CopyData && type !== Client.CopyDone && type !== Client.CopyFail) this.loose = true;
    },
  });
  private server = new FrameSplitter(
    {
      frame: (type, body) => {
        if (type !== Server.ReadyForQuery) return;
        this.answered++;
        this.status = body![0]!;
      },
    },
    (type) => type === Server.ReadyForQuery,
  );

  // What to forward to the server: everything before a Terminate, never it.
  fromClient(chunk: Buffer): Buffer {
    if (this.terminated) return chunk.subarray(0, 0);
    const end = this.client.push(chunk);
    return end < chunk.length ? chunk.subarray(0, end) : chunk;
  }

  fromServer(chunk: Buffer): void {
    this.server.push(chunk);
  }

  get reusable(): boolean {
    return this.terminated && this.asked === this.answered && !this.loose && this.status === IDLE && this.server.atBoundary;
  }
}

// Reads the answer to DISCARD ALL: clean once a ReadyForQuery 'I' ends it with
// no error before it and no byte after it.
export class ResetReader {
  result: "pending" | "clean" | "dirty" = "pending";
  private failed = false;
  private splitter = new FrameSplitter(
    {
      frame: (type, body) => {
        if (type === Server.Error) this.failed = true;
        if (type !== Server.ReadyForQuery) return;
        this.result = !this.failed && body![0] === IDLE ? "clean" : "dirty";
        return true;
      },
    },
    (type) => type === Server.ReadyForQuery,
  );

  push(chunk: Buffer): ResetReader["result"] {
    if (this.result !== "pending") return chunk.length ? (this.result = "dirty") : this.result;
    const end = this.splitter.push(chunk);
    if (this.result !== "pending" && end < chunk.length) this.result = "dirty";
    return this.result;
  }
}
