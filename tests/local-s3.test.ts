// The local S3 store must refuse what R2 refuses: a store that accepts any
// signature would let broken or tampered presigned URLs pass in development.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetObjectCommand, HeadObjectCommand, ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Store, type S3Store } from "../local/s3/server.ts";
import { verifySigV4 } from "../local/s3/sigv4.ts";

const KEY = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" };
const BUCKET = "artifacts";
const ORIGIN = "http://localhost:5173";
let store: S3Store;
let dataDir: string;
let client: S3Client;

function makeClient(credentials = KEY, region = "auto") {
  return new S3Client({
    endpoint: store.endpoint, region, forcePathStyle: true, credentials, maxAttempts: 1,
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
}

// @smithy/signature-v4 wants a hash constructor; an HMAC when given a secret.
class NodeSha256 {
  private h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret ? createHmac("sha256", toBuffer(secret)) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView) { this.h.update(toBuffer(data)); }
  async digest() { return new Uint8Array(this.h.digest()); }
  reset() {}
}
function toBuffer(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === "string") return Buffer.from(d, "utf8");
  return ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);
}
const signer = (credentials = KEY, region = "auto") =>
  new SignatureV4({ service: "s3", region, credentials, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

async function outcome(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, code: /<Code>(.*?)<\/Code>/.exec(text)?.[1], message: /<Message>(.*?)<\/Message>/.exec(text)?.[1] };
}
// getSignedUrl infers its generics only from a concrete command class.
const presign = (command: PutObjectCommand | GetObjectCommand | UploadPartCommand, opts: Parameters<typeof getSignedUrl>[2] = { expiresIn: 300 }, c = client) =>
  command instanceof PutObjectCommand ? getSignedUrl(c, command, opts)
    : command instanceof GetObjectCommand ? getSignedUrl(c, command, opts)
    : getSignedUrl(c, command, opts);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sightline-s3-test-"));
  store = await startS3Store({ dataDir, credentials: [KEY], region: "auto", buckets: [BUCKET, "other"], corsOrigins: [ORIGIN] });
  client = makeClient();
});
afterAll(async () => {
  client?.destroy();
  await store?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("signed SDK requests", () => {
  it("round-trips PutObject, GetObject, HeadObject, DeleteObject", async () => {
    const body = randomBytes(100_000);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "sdk/round trip.bin", Body: body, ContentType: "application/x-test" }));
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "sdk/round trip.bin" }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.ContentType).toBe("application/x-test");
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "sdk/round trip.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "sdk/round trip.bin" }));
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "sdk/round trip.bin" }))).rejects.toMatchObject({ name: "NoSuchKey" });
  });

  it("refuses an unknown access key, a wrong secret and a wrong region", async () => {
    const get = new GetObjectCommand({ Bucket: BUCKET, Key: "nothing" });
    await expect(makeClient({ ...KEY, accessKeyId: "AKIDUNKNOWN" }).send(get)).rejects.toMatchObject({ name: "InvalidAccessKeyId" });
    await expect(makeClient({ ...KEY, secretAccessKey: "wrong" }).send(get)).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
    await expect(makeClient(KEY, "us-east-1").send(get)).rejects.toMatchObject({ name: "AuthorizationHeaderMalformed" });
  });

  it("refuses a body that does not match the signed sha256, and aws-chunked bodies", async () => {
    const url = `${store.endpoint}/${BUCKET}/tampered`;
    const { hostname, port, host } = new URL(url);
    const base = { method: "PUT", protocol: "http:", hostname, port: Number(port), path: `/${BUCKET}/tampered`, query: {} };
    const signed = await signer().sign({ ...base, headers: { host, "x-amz-content-sha256": sha256("promised") } });
    const { host: _h, ...headers } = signed.headers;
    expect(await outcome(url, { method: "PUT", headers, body: "delivered" })).toMatchObject({ status: 400, code: "XAmzContentSHA256Mismatch" });
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "tampered" }))).rejects.toMatchObject({ name: "NotFound" });
    const chunked = await signer().sign({ ...base, headers: { host, "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" } });
    const { host: _h2, ...chunkedHeaders } = chunked.headers;
    expect(await outcome(url, { method: "PUT", headers: chunkedHeaders, body: "0;chunk-signature=00\r\n\r\n" })).toMatchObject({ status: 501 });
  });
});

describe("presigned URLs", () => {
  const key = "presigned/a b+c~é(1).bin";
  const body = randomBytes(64 * 1024);
  let putUrl: string;
  let getUrl: string;

  beforeAll(async () => {
    putUrl = await presign(new PutObjectCommand({ Bucket: BUCKET, Key: key }));
    getUrl = await presign(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const put = await fetch(putUrl, { method: "PUT", body });
    expect(put.status).toBe(200);
  });

  it("round-trips bytes exactly through a presigned PUT and GET", async () => {
    const res = await fetch(getUrl);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it("refuses an edited path: another key or another bucket", async () => {
    const path = new URL(getUrl).pathname;
    expect(await outcome(getUrl.replace(path, path.replace("a%20b", "a%20c")))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await outcome(getUrl.replace(`/${BUCKET}/`, "/other/"))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses a changed method: PUT URL used to GET, GET URL used to PUT", async () => {
    expect(await outcome(putUrl)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await outcome(getUrl, { method: "PUT", body: "overwrite" })).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(Buffer.from(await (await fetch(getUrl)).arrayBuffer()).equals(body)).toBe(true);
  });

  it("refuses an expired URL", async () => {
    const old = await presign(new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60, signingDate: new Date(Date.now() - 5 * 60_000) });
    expect(await outcome(old)).toMatchObject({ status: 403, code: "AccessDenied", message: "Request has expired" });
  });

  it("refuses an edited X-Amz-Expires or X-Amz-Date", async () => {
    expect(getUrl).toContain("X-Amz-Expires=300");
    expect(await outcome(getUrl.replace("X-Amz-Expires=300", "X-Amz-Expires=3000"))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await outcome(getUrl.replace("X-Amz-Expires=300", "X-Amz-Expires=604801"))).toMatchObject({ status: 400, code: "AuthorizationQueryParametersError" });
    const date = /X-Amz-Date=(\d{8}T\d{6}Z)/.exec(getUrl)![1]!;
    const iso = date.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, "$1-$2-$3T$4:$5:$6Z");
    const earlier = new Date(Date.parse(iso) - 1000).toISOString().replace(/[-:]|\.\d{3}/g, "");
    expect(await outcome(getUrl.replace(date, earlier))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses a signature altered by one character", async () => {
    const sig = /X-Amz-Signature=([0-9a-f]{64})/.exec(getUrl)![1]!;
    const altered = sig.slice(0, 10) + (sig[10] === "0" ? "1" : "0") + sig.slice(11);
    expect(await outcome(getUrl.replace(sig, altered))).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses an unknown access key and a wrong secret", async () => {
    const get = new GetObjectCommand({ Bucket: BUCKET, Key: key });
    const unknown = await presign(get, undefined, makeClient({ ...KEY, accessKeyId: "AKIDUNKNOWN" }));
    expect(await outcome(unknown)).toMatchObject({ status: 403, code: "InvalidAccessKeyId" });
    const wrong = await presign(get, undefined, makeClient({ ...KEY, secretAccessKey: "not-the-secret" }));
    expect(await outcome(wrong)).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("refuses plain unsigned requests", async () => {
    const plain = `${store.endpoint}/${BUCKET}/${encodeURIComponent("presigned")}/a%20b%2Bc~%C3%A9%281%29.bin`;
    expect(await outcome(plain)).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(await outcome(`${store.endpoint}/${BUCKET}/unsigned`, { method: "PUT", body: "x" })).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(await outcome(`${store.endpoint}/`)).toMatchObject({ status: 403, code: "AccessDenied" });
  });

  it("refuses x-amz-* headers the URL did not sign (a PUT URL turned into a copy)", async () => {
    const res = await outcome(putUrl, { method: "PUT", headers: { "x-amz-copy-source": `/other/secret` } });
    expect(res).toMatchObject({ status: 403, code: "AccessDenied" });
  });

  it("answers CORS preflight without a signature, and adds CORS headers for allowed origins", async () => {
    const pre = await fetch(putUrl, { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" } });
    expect(pre.status).toBe(200);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(pre.headers.get("access-control-allow-methods")).toContain("PUT");
    const denied = await fetch(putUrl, { method: "OPTIONS", headers: { origin: "http://evil.test", "access-control-request-method": "PUT" } });
    expect(denied.status).toBe(403);
    const got = await fetch(getUrl, { headers: { origin: ORIGIN } });
    expect(got.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(got.headers.get("access-control-expose-headers")).toBe("ETag");
    await got.arrayBuffer();
  });
});

describe("multipart upload", () => {
  const MiB = 1024 * 1024;

  it("completes a ~20 MiB upload from presigned UploadPart URLs, byte-exact", { timeout: 20_000 }, async () => {
    const key = "multipart/big.bin";
    const data = randomBytes(20 * MiB + 12345);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: "application/octet-stream" }));
    const parts = [];
    for (let n = 1, at = 0; at < data.length; n++, at += 5 * MiB) {
      const url = await presign(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: n }));
      expect(url).toMatch(/partNumber=\d+&uploadId=/);
      const res = await fetch(url, { method: "PUT", body: data.subarray(at, at + 5 * MiB) });
      expect(res.status).toBe(200);
      parts.push({ PartNumber: n, ETag: res.headers.get("etag")! });
    }
    const listed = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual(parts.map((p, i) => [p.PartNumber, i < 4 ? 5 * MiB : 12345, p.ETag]));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    expect(back.length).toBe(data.length);
    expect(sha256(back)).toBe(sha256(data));
  });

  it("checks parts on completion, and aborts", async () => {
    const key = "multipart/aborted.bin";
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const partUrl = await presign(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1 }));
    expect((await fetch(partUrl, { method: "PUT", body: "small part" })).status).toBe(200);
    const bad = { Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0000"' }] } };
    await expect(client.send(new CompleteMultipartUploadCommand(bad))).rejects.toMatchObject({ name: "InvalidPart" });
    const otherKey = await presign(new UploadPartCommand({ Bucket: BUCKET, Key: "multipart/elsewhere", UploadId, PartNumber: 2 }));
    expect(await outcome(otherKey, { method: "PUT", body: "x" })).toMatchObject({ status: 404, code: "NoSuchUpload" });
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
    await expect(client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }))).rejects.toMatchObject({ name: "NoSuchUpload" });
    expect(await outcome(partUrl, { method: "PUT", body: "late part" })).toMatchObject({ status: 404, code: "NoSuchUpload" });
  });
});

describe("verifySigV4 against @smithy/signature-v4 vectors", () => {
  const signingDate = new Date("2024-05-01T12:00:00Z");
  const creds = new Map([[KEY.accessKeyId, KEY.secretAccessKey]]);
  const at = (ms: number) => new Date(signingDate.getTime() + ms);
  const toWire = (r: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> }) => ({
    method: r.method,
    path: r.path,
    rawQuery: Object.entries(r.query ?? {})
      .flatMap(([k, v]) => [v].flat().map((one) => `${encodeURIComponent(k)}=${encodeURIComponent(String(one ?? ""))}`))
      .join("&"),
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v])),
  });
  // The path as the SDK sends it: each key segment encoded once, "(" included.
  const path = "/artifacts/dir%20one/%C3%BC%2Bx%3D%281%29.txt";
  const base = { method: "PUT", protocol: "http:", hostname: "127.0.0.1", port: 9000, path };

  it("accepts a header-signed request and binds its path, method and time", async () => {
    const body = "hello";
    const req = await signer().sign(
      { ...base, query: { tagging: "", "b-list": ["2", "1"] }, headers: { host: "127.0.0.1:9000", "x-amz-content-sha256": sha256(body), "x-amz-meta-note": "  two   spaces " }, body },
      { signingDate },
    );
    const wire = toWire(req);
    expect(wire.rawQuery).toBe("tagging=&b-list=2&b-list=1");
    expect(verifySigV4(wire, creds, at(60_000))).toEqual({ ok: true, accessKeyId: KEY.accessKeyId, presigned: false, payloadHash: sha256(body) });
    expect(verifySigV4({ ...wire, path: wire.path.replace("dir%20one", "dir%20two") }, creds, at(60_000))).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
    expect(verifySigV4({ ...wire, method: "POST" }, creds, at(60_000))).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
    expect(verifySigV4(wire, creds, at(20 * 60_000))).toMatchObject({ ok: false, code: "RequestTimeTooSkewed" });
    expect(verifySigV4(wire, creds, at(0), { region: "eu-west-1" })).toMatchObject({ ok: false, code: "AuthorizationHeaderMalformed" });
  });

  it("accepts a presigned URL until it expires", async () => {
    // As the S3 presigner does: the payload is declared unsigned, and hoisted into the query.
    const headers = { host: "127.0.0.1:9000", "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" };
    const req = await signer().presign({ ...base, method: "GET", query: { "x-id": "GetObject" }, headers }, { signingDate, expiresIn: 3600 });
    const wire = toWire(req);
    expect(wire.rawQuery).toContain("X-Amz-Content-Sha256=UNSIGNED-PAYLOAD");
    expect(verifySigV4(wire, creds, at(59 * 60_000))).toMatchObject({ ok: true, presigned: true, payloadHash: "UNSIGNED-PAYLOAD" });
    expect(verifySigV4(wire, creds, at(61 * 60_000))).toMatchObject({ ok: false, status: 403, message: "Request has expired" });
    expect(verifySigV4(wire, creds, at(-60 * 60_000))).toMatchObject({ ok: false, code: "AccessDenied" });
    expect(verifySigV4(wire, new Map([["someone-else", "x"]]), at(0))).toMatchObject({ ok: false, code: "InvalidAccessKeyId" });
    expect(verifySigV4({ ...wire, method: "PUT" }, creds, at(0))).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
  });
});
