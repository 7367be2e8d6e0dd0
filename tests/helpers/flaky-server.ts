import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

// A stand-in for the tracking API that misbehaves on request, so the SDK's
// batching and retry logic can be tested without the real Worker: it can
// answer 429 / 503 / 400, drop the connection before or after storing a
// batch, and it stores each (stream, seq) once, like the real server.
export type Fault = "ok" | "429" | "503" | "400" | "drop" | "drop-after-store" | "hang";
export type Received = { path: string; seq: number; at: number; gzipped: boolean; fault: Fault };

export type FlakyServer = {
  url: string;
  received: Received[];
  // Stored batches by seq, per stream ("metrics" | "logs").
  stored: { metrics: Map<number, any>; logs: Map<number, any> };
  finished: { status: string; exit_code?: number }[];
  heartbeats: number;
  close(): Promise<void>;
};

export async function startFlakyServer(opts: { fault?: (r: Omit<Received, "fault" | "gzipped">) => Fault; retryAfter?: string } = {}): Promise<FlakyServer> {
  const state: FlakyServer = {
    url: "",
    received: [],
    stored: { metrics: new Map(), logs: new Map() },
    finished: [],
    heartbeats: 0,
    close: async () => {},
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const gzipped = req.headers["content-encoding"] === "gzip";
    const body = chunks.length ? JSON.parse((gzipped ? gunzipSync(raw) : raw).toString("utf8")) : undefined;
    const path = req.url ?? "";
    if (req.method === "POST" && /^\/api\/v1\/projects\/[^/]+\/runs$/.test(path)) {
      return json(res, 201, { run: { id: "run_flaky", project_id: "prj_flaky", name: body?.name ?? "flaky", status: "running" } });
    }
    const m = /^\/api\/v1\/runs\/run_flaky\/(metrics|logs|heartbeat|finish)$/.exec(path);
    if (!m) return json(res, 404, { error: { code: "not_found", message: `no route ${path}`, request_id: "x" } });
    if (m[1] === "heartbeat") {
      state.heartbeats++;
      return json(res, 200, { run: { id: "run_flaky", status: "running" } });
    }
    if (m[1] === "finish") {
      state.finished.push(body);
      return json(res, 200, { run: { id: "run_flaky", project_id: "prj_flaky", name: "flaky", status: body.status } });
    }
    const stream = m[1] as "metrics" | "logs";
    const info = { path, seq: body.seq as number, at: Date.now() };
    const fault = opts.fault?.(info) ?? "ok";
    state.received.push({ ...info, gzipped, fault });
    const store = () => {
      const seen = state.stored[stream].has(body.seq);
      if (!seen) state.stored[stream].set(body.seq, body);
      return seen;
    };
    switch (fault) {
      case "429":
        return json(res, 429, { error: { code: "rate_limited", message: "slow down", request_id: "x" } }, { "retry-after": opts.retryAfter ?? "0" });
      case "503":
        return json(res, 503, { error: { code: "unavailable", message: "try later", request_id: "x" } });
      case "400":
        return json(res, 400, { error: { code: "invalid_argument", message: "metrics: bad batch", request_id: "x" } });
      case "drop":
        return req.socket.destroy();
      case "drop-after-store":
        store();
        return req.socket.destroy();
      case "hang":
        return; // never answers; the client's timeout or abort ends it
      default: {
        const dup = store();
        const n = stream === "logs" ? body.lines.length : countPoints(body.metrics);
        return json(res, 200, { accepted: dup ? 0 : n, duplicate: dup });
      }
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

export function countPoints(metrics: Record<string, { steps: number[] }>): number {
  return Object.values(metrics).reduce((n, c) => n + c.steps.length, 0);
}

// Every stored point as "key@step=value", to compare with what was logged.
export function storedPoints(s: FlakyServer): string[] {
  const out: string[] = [];
  for (const batch of s.stored.metrics.values()) {
    for (const [key, c] of Object.entries(batch.metrics as Record<string, { steps: number[]; values: unknown[] }>)) {
      c.steps.forEach((step, i) => out.push(`${key}@${step}=${String(c.values[i])}`));
    }
  }
  return out;
}
