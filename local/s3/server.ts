// The local stand-in for R2: s3rver keeps the objects, and this front verifies
// every request's SigV4 signature first, because s3rver checks none and R2
// checks all. s3rver listens on a loopback port of its own that nothing but
// this front is told about.
import { randomUUID, createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { verifySigV4 } from "./sigv4.ts";
import { abortUpload, checkCompletion, findUpload, listPartsXml, noSuchUpload, xmlDocument, xmlEscape, type S3Failure } from "./multipart.ts";

export type S3StoreOptions = {
  dataDir: string;
  host?: string;
  port?: number;
  credentials: { accessKeyId: string; secretAccessKey: string }[];
  region: string;
  buckets: string[];
  /** Browser origins allowed by CORS; "*" allows any. */
  corsOrigins?: string[];
};

export type S3Store = { endpoint: string; port: number; stop(): Promise<void> };

const require = createRequire(import.meta.url);
const S3rver = require("s3rver");
const { DUMMY_ACCOUNT } = require("s3rver/lib/models/account");

// Bodies whose sha256 is signed must be hashed before s3rver may store them;
// past this size they are held in a spool file rather than in memory.
const MEMORY_BODY_LIMIT = 8 * 1024 * 1024;
const COMPLETE_BODY_LIMIT = 4 * 1024 * 1024;
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "expect", "proxy-connection"];
const CORS_METHODS = ["GET", "PUT", "POST", "HEAD", "DELETE"];

type Body = { buffer: Buffer } | { file: string; size: number } | undefined; // undefined: stream the request itself

export async function startS3Store(opts: S3StoreOptions): Promise<S3Store> {
  const storeDir = join(opts.dataDir, "buckets");
  const spoolDir = join(opts.dataDir, "spool");
  // Spool files left by a crash are half-read uploads: nothing to keep.
  await rm(spoolDir, { recursive: true, force: true });
  await Promise.all([mkdir(storeDir, { recursive: true }), mkdir(spoolDir, { recursive: true })]);
  const credentials = new Map(opts.credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  // s3rver still runs its own (V2-only) auth and wants to know the key; the
  // registry is process-wide, so keys are never revoked in case another store shares one.
  for (const [id, secret] of credentials) DUMMY_ACCOUNT.createKeyPair(id, secret);

  const inner = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory: storeDir,
    silent: true,
    vhostBuckets: false, // clients use path style; "localhost:1234" must not read as a bucket name
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  const innerPort: number = (await inner.run()).port;
  const agent = new Agent({ keepAlive: true });
  const origins = opts.corsOrigins ?? [];
  const allowedOrigin = (origin: string | undefined) =>
    origin !== undefined && (origins.includes("*") || origins.includes(origin)) ? origin : undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(req, res, undefined, { status: 500, code: "InternalError", message: String(err) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const origin = allowedOrigin(req.headers.origin);
    if (req.method === "OPTIONS") return preflight(req, res, origin);
    const url = req.url ?? "/";
    if (!url.startsWith("/")) return reply(req, res, origin, { status: 400, code: "InvalidURI", message: "Couldn't parse the specified URI." });
    const q = url.indexOf("?");
    const [path, rawQuery] = q < 0 ? [url, ""] : [url.slice(0, q), url.slice(q + 1)];
    const verdict = verifySigV4({ method: req.method ?? "GET", path, rawQuery, headers: req.headersDistinct }, credentials, new Date(), {
      region: opts.region,
    });
    if (!verdict.ok) return reply(req, res, origin, verdict, verdict.canonicalRequest);
    if (verdict.payloadHash.startsWith("STREAMING-")) {
      // Verifying the seed alone would leave every chunk unchecked, and s3rver
      // would store the aws-chunked framing as the object's bytes.
      return reply(req, res, origin, {
        status: 501,
        code: "NotImplemented",
        message: "aws-chunked (STREAMING-*) payloads are not supported by the local store; sign the payload hash or use UNSIGNED-PAYLOAD.",
      });
    }

    let body: Body;
    try {
      if (/^[0-9a-f]{64}$/.test(verdict.payloadHash)) {
        const read = await readBody(req, spoolDir, MEMORY_BODY_LIMIT);
        body = read.body;
        if (read.sha256 !== verdict.payloadHash) {
          return reply(req, res, origin, { status: 400, code: "XAmzContentSHA256Mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed." });
        }
      }
      const query = new URLSearchParams(rawQuery);
      if (query.has("uploadId")) {
        const done = await multipart(req, res, origin, path, query, body);
        if (done === true) return;
        body = done;
      }
      await forward(req, res, origin, body);
    } finally {
      if (body && "file" in body) await rm(body.file, { force: true });
    }
  }

  // Resolves to true when it answered the request itself, else to the body to forward.
  async function multipart(req: IncomingMessage, res: ServerResponse, origin: string | undefined, path: string, query: URLSearchParams, body: Body): Promise<true | Body> {
    const [, bucketPart = "", ...keyParts] = path.split("/");
    const [bucket, key] = [decodeURIComponent(bucketPart), decodeURIComponent(keyParts.join("/"))];
    const uploadId = query.get("uploadId") ?? "";
    const dir = await findUpload(storeDir, bucket, key, uploadId);
    if (!dir) return reply(req, res, origin, noSuchUpload());
    if (req.method === "DELETE") {
      await abortUpload(dir);
      return send(res, origin, 204, {}, "");
    }
    if (req.method === "GET") {
      return send(res, origin, 200, { "content-type": "application/xml" }, await listPartsXml(dir, { bucket, key, uploadId }, query));
    }
    if (req.method === "PUT" && !/^([1-9]\d{0,3}|10000)$/.test(query.get("partNumber") ?? "")) {
      return reply(req, res, origin, { status: 400, code: "InvalidArgument", message: "Part number must be an integer between 1 and 10000, inclusive" });
    }
    if (req.method === "POST") {
      // The part list is small, so an unsigned one is read here to be checked;
      // one too big for memory is no part list (and its spool file goes at once).
      const read = body ?? (await readBody(req, spoolDir, COMPLETE_BODY_LIMIT)).body;
      if (read && "file" in read && !body) await rm(read.file, { force: true });
      const xml = read && "buffer" in read ? read.buffer.toString("utf8") : "";
      const failure = await checkCompletion(dir, xml);
      if (failure) return reply(req, res, origin, failure);
      return read;
    }
    return body;
  }

  function forward(req: IncomingMessage, res: ServerResponse, origin: string | undefined, body: Body): Promise<void> {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    if (body) headers["content-length"] = String("buffer" in body ? body.buffer.length : body.size);
    else if (req.headers["transfer-encoding"]) headers["transfer-encoding"] = req.headers["transfer-encoding"];
    return new Promise((resolve, reject) => {
      const upstream = httpRequest({ host: "127.0.0.1", port: innerPort, method: req.method, path: req.url, headers, agent });
      upstream.on("error", reject);
      upstream.on("response", (up) => {
        const out: Record<string, string | string[] | undefined> = { ...up.headers, ...corsHeaders(origin) };
        for (const h of HOP_BY_HOP) delete out[h];
        res.writeHead(up.statusCode ?? 502, out);
        pipeline(up, res).then(resolve, reject);
      });
      const source = !body ? req : "buffer" in body ? null : createReadStream(body.file);
      if (!source) upstream.end((body as { buffer: Buffer }).buffer);
      else pipeline(source, upstream).catch((err) => upstream.destroy(err));
    });
  }

  function preflight(req: IncomingMessage, res: ServerResponse, origin: string | undefined) {
    const method = req.headers["access-control-request-method"];
    if (!req.headers.origin || !method) {
      return reply(req, res, undefined, { status: 400, code: "BadRequest", message: "Insufficient information. Origin and Access-Control-Request-Method are needed." });
    }
    if (!origin || !CORS_METHODS.includes(method)) {
      return reply(req, res, undefined, { status: 403, code: "AccessForbidden", message: "CORSResponse: This CORS request is not allowed." });
    }
    // A bare "*" does not cover Authorization in browsers, so the asked-for list is echoed.
    return send(res, origin, 200, {
      "access-control-allow-methods": CORS_METHODS.join(", "),
      "access-control-allow-headers": req.headers["access-control-request-headers"] || "*",
      "access-control-max-age": "3000",
    }, "");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const host = opts.host ?? "127.0.0.1";
  return {
    endpoint: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      agent.destroy();
      await inner.close();
    },
  };
}

function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "ETag", vary: "Origin" };
}

// Both answerers return true, which is how multipart() says "already answered".
function send(res: ServerResponse, origin: string | undefined, status: number, headers: Record<string, string>, body: string): true {
  const length = status === 204 ? {} : { "content-length": String(Buffer.byteLength(body)) };
  res.writeHead(status, { ...headers, ...corsHeaders(origin), ...length });
  res.end(body);
  return true;
}

function reply(req: IncomingMessage, res: ServerResponse, origin: string | undefined, f: S3Failure, canonicalRequest?: string): true {
  // Drain an unread upload so the client gets the answer rather than a reset.
  req.resume();
  const extra = canonicalRequest ? `<CanonicalRequest>${xmlEscape(canonicalRequest)}</CanonicalRequest>` : "";
  const xml = xmlDocument(`<Error><Code>${f.code}</Code><Message>${xmlEscape(f.message)}</Message>${extra}<RequestId>${randomUUID()}</RequestId></Error>`);
  return send(res, origin, f.status, { "content-type": "application/xml" }, req.method === "HEAD" ? "" : xml);
}

/** Reads and hashes a whole body, in memory up to `limit` bytes, beyond that into a spool file. */
async function readBody(req: IncomingMessage, spoolDir: string, limit: number): Promise<{ sha256: string; body: Body }> {
  const hash = createHash("sha256");
  let chunks: Buffer[] = [];
  let size = 0;
  let file: string | undefined;
  let out: WriteStream | undefined;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (!out && size > limit) {
        file = join(spoolDir, randomUUID());
        out = createWriteStream(file);
        for (const c of chunks) out.write(c);
        chunks = [];
      }
      if (!out) chunks.push(chunk);
      else if (!out.write(chunk)) await once(out, "drain");
    }
    if (out) await new Promise<void>((resolve, reject) => out!.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out?.destroy();
    if (file) await rm(file, { force: true });
    throw err;
  }
  return { sha256: hash.digest("hex"), body: file ? { file, size } : { buffer: Buffer.concat(chunks) } };
}
