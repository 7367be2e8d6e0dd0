// Artifact transfer throughput: Sightline's flow (announce → presigned PUTs →
// commit; resolve → presigned GETs) against the same transfers to the same
// store with URLs signed locally, i.e. without the Worker. The Worker's share
// is measured inside Sightline's own transfer: the time of each Worker call
// (announce, commit, resolve, …) less the time the store spent, meanwhile, on
// the requests the Worker itself made to it (CompleteMultipartUpload, HEAD, …),
// seen where the store serves them (it runs in this process).
//   npm exec -- node bench/artifacts.ts        (BENCH_MIB=256, BENCH_DATABASE_URL=postgres://… optional)
import { GetObjectCommand, S3Client, UploadPartCommand, CreateMultipartUploadCommand, CompleteMultipartUploadCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { logArtifact, useArtifact, type Http } from "../sdk/artifacts.ts";
import { HttpClient } from "../sdk/client.ts";

type BenchStack = { url: string; s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string } };
export type ArtifactFigures = {
  mib: number;
  // commit_ms: the commit call, of which commit_store_ms the store assembling the parts.
  upload: Leg & { commit_ms: number; commit_store_ms: number; direct_complete_ms: number };
  download: Leg;
};

// worker_ms: time inside Worker calls; worker_store_ms: of that, the store
// serving the Worker's own requests; worker_share: worker_ms / wall time;
// worker_share_excl_store: (worker_ms − worker_store_ms) / wall time, the
// Worker's own. vs_direct compares wall times.
type Leg = {
  sightline_mib_s: number;
  direct_mib_s: number;
  worker_ms: number;
  worker_store_ms: number;
  worker_share: number;
  worker_share_excl_store: number;
  calls: number;
  vs_direct: number;
};

// Intervals of every request the store served, recorded where the in-process
// store handles them. Only those overlapping a Worker call are counted: the
// client sends nothing while it waits on one (the SDK announces, uploads the
// parts, then commits), so those are the Worker's own requests to the store.
function watchStore(port: number) {
  const spans: [number, number][] = [];
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request" && (this.address() as AddressInfo | null)?.port === port) {
      const res = args[1] as ServerResponse;
      const t = performance.now();
      res.once("close", () => spans.push([t, performance.now()]));
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  return { spans, stop: () => void (Server.prototype.emit = emit) };
}

// Time of [from, to) covered by the spans (merged, so parallel requests count once).
function covered(spans: [number, number][], from: number, to: number): number {
  const parts = spans.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of parts) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}
const MiB = 1024 * 1024;
const PART = 16 * MiB;

export async function benchArtifacts(stack: BenchStack, mib = Number(process.env.BENCH_MIB ?? 256)): Promise<ArtifactFigures> {
  const dir = await mkdtemp(join(tmpdir(), "sightline-bench-art-"));
  try {
    const file = join(dir, "blob.bin");
    const data = await writeData(file, mib);
    const key = await signup(stack.url);
    const project = `bench-${Date.now().toString(36)}`;
    const store = watchStore(Number(new URL(stack.s3.endpoint).port));
    let calls: { path: string; from: number; to: number }[] = [];
    const client = new HttpClient({ baseUrl: stack.url, apiKey: key });
    const http: Http = {
      request: async (method, path, body, opts) => {
        const from = performance.now();
        try {
          return await client.request(method, path, body, opts);
        } finally {
          calls.push({ path, from, to: performance.now() });
        }
      },
    };
    const leg = () => {
      const ms = calls.reduce((a, c) => a + c.to - c.from, 0);
      const storeMs = calls.reduce((a, c) => a + covered(store.spans, c.from, c.to), 0);
      const commits = calls.filter((c) => c.path.endsWith("/commit"));
      const out = {
        ms,
        storeMs,
        count: calls.length,
        commitMs: commits.reduce((a, c) => a + c.to - c.from, 0),
        commitStoreMs: commits.reduce((a, c) => a + covered(store.spans, c.from, c.to), 0),
      };
      calls = [];
      return out;
    };
    await client.request("POST", "/api/v1/projects", { name: project });

    let t = performance.now();
    await logArtifact(http, null, file, { project, name: "blob", type: "dataset" });
    const upMs = performance.now() - t;
    const up = leg();
    t = performance.now();
    await useArtifact(http, "blob:latest", join(dir, "out"), { project });
    const downMs = performance.now() - t;
    const down = leg();
    store.stop();

    const s3 = new S3Client({
      endpoint: stack.s3.endpoint, region: stack.s3.region, forcePathStyle: true,
      credentials: { accessKeyId: stack.s3.accessKeyId, secretAccessKey: stack.s3.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
    });
    const directKey = `bench/${Date.now()}`;
    t = performance.now();
    const storeCompleteMs = await directUpload(s3, stack.s3.bucket, directKey, data);
    const directUpMs = performance.now() - t;
    t = performance.now();
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: stack.s3.bucket, Key: directKey }), { expiresIn: 600 });
    const hash = createHash("sha256");
    for await (const c of (await fetch(url)).body as unknown as AsyncIterable<Uint8Array>) hash.update(c);
    hash.digest("hex");
    const directDownMs = performance.now() - t;
    s3.destroy();

    const rate = (ms: number) => Math.round((mib / (ms / 1000)) * 10) / 10;
    const share = (total: number, worker: number) => Math.round((worker / total) * 1000) / 1000;
    const vs = (ours: number, direct: number) => Math.round(((ours - direct) / ours) * 1000) / 1000;
    const figures = (l: ReturnType<typeof leg>, ms: number, directMs: number): Leg => ({
      sightline_mib_s: rate(ms),
      direct_mib_s: rate(directMs),
      worker_ms: Math.round(l.ms),
      worker_store_ms: Math.round(l.storeMs),
      worker_share: share(ms, l.ms),
      worker_share_excl_store: share(ms, l.ms - l.storeMs),
      calls: l.count,
      vs_direct: vs(ms, directMs),
    });
    return {
      mib,
      upload: { ...figures(up, upMs, directUpMs), commit_ms: Math.round(up.commitMs), commit_store_ms: Math.round(up.commitStoreMs), direct_complete_ms: Math.round(storeCompleteMs) },
      download: figures(down, downMs, directDownMs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The same parts, the same 4-way parallelism, URLs signed here instead of by the Worker.
// Resolves with the time the store took to complete the upload (assemble the parts).
async function directUpload(s3: S3Client, bucket: string, key: string, data: Buffer): Promise<number> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const count = Math.ceil(data.length / PART);
  const etags: string[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) {
        const i = next++;
        const url = await getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: 600 });
        const res = await fetch(url, { method: "PUT", body: data.subarray(i * PART, (i + 1) * PART) as unknown as BodyInit });
        await res.text();
        etags[i] = res.headers.get("etag") ?? "";
      }
    }),
  );
  const t = performance.now();
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  return performance.now() - t;
}

async function writeData(path: string, mib: number): Promise<Buffer> {
  const data = Buffer.alloc(mib * MiB);
  let x = 0x2545f491;
  for (let i = 0; i < MiB; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    data.writeUInt32LE(x >>> 0, i);
  }
  for (let m = 1; m < mib; m++) data.copy(data, m * MiB, 0, MiB);
  for (let m = 0; m < mib; m++) data.writeUInt32LE(m, m * MiB);
  const out = createWriteStream(path);
  await new Promise<void>((resolve, reject) => out.end(data, (err?: Error | null) => (err ? reject(err) : resolve())));
  return data;
}

async function signup(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple", team_name: "Bench" }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { api_key: { key: string } }).api_key.key;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startStack } = await import("../local/stack.ts");
  const dataDir = await mkdtemp(join(tmpdir(), "sightline-bench-stack-"));
  const db = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  const stack = await startStack({ dataDir, appEnv: "development", databaseUrl: db, freshDatabase: `sightline_bench_${Date.now().toString(36)}` });
  try {
    console.log(JSON.stringify(await benchArtifacts(stack), null, 2));
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
