// Artifact transfer throughput: Sightline's flow (announce → presigned PUTs →
// commit; resolve → presigned GETs) against the same transfers to the same
// store with URLs signed locally, i.e. without the Worker. The difference, and
// the time spent in Worker calls, is the Worker's share.
//   npm exec -- node bench/artifacts.ts        (BENCH_MIB=256, BENCH_DATABASE_URL=postgres://… optional)
import { GetObjectCommand, S3Client, UploadPartCommand, CreateMultipartUploadCommand, CompleteMultipartUploadCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { logArtifact, useArtifact, type Http } from "../sdk/artifacts.ts";
import { HttpClient } from "../sdk/client.ts";

type BenchStack = { url: string; s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string } };
export type ArtifactFigures = {
  mib: number;
  // The commit call includes the store assembling the parts, which a direct
  // upload pays as well (store_complete_ms); the share without it is the Worker's own.
  upload: Leg & { commit_ms: number; store_complete_ms: number; worker_share_excl_store: number };
  download: Leg;
};

// worker_share: time inside Worker calls / wall time. commit_ms is part of it and
// includes the store assembling the parts (CompleteMultipartUpload), which the
// direct path pays too; vs_direct compares wall times.
type Leg = { sightline_mib_s: number; direct_mib_s: number; worker_ms: number; worker_share: number; vs_direct: number };
const MiB = 1024 * 1024;
const PART = 16 * MiB;

export async function benchArtifacts(stack: BenchStack, mib = Number(process.env.BENCH_MIB ?? 256)): Promise<ArtifactFigures> {
  const dir = await mkdtemp(join(tmpdir(), "sightline-bench-art-"));
  try {
    const file = join(dir, "blob.bin");
    const data = await writeData(file, mib);
    const key = await signup(stack.url);
    const project = `bench-${Date.now().toString(36)}`;
    let workerMs = 0;
    let commitMs = 0;
    const client = new HttpClient({ baseUrl: stack.url, apiKey: key });
    const http: Http = {
      request: async (method, path, body, opts) => {
        const t = performance.now();
        try {
          return await client.request(method, path, body, opts);
        } finally {
          workerMs += performance.now() - t;
          if (path.endsWith("/commit")) commitMs += performance.now() - t;
        }
      },
    };
    await client.request("POST", "/api/v1/projects", { name: project });

    let t = performance.now();
    await logArtifact(http, null, file, { project, name: "blob", type: "dataset" });
    const upMs = performance.now() - t;
    const upWorker = workerMs;
    workerMs = 0;
    t = performance.now();
    await useArtifact(http, "blob:latest", join(dir, "out"), { project });
    const downMs = performance.now() - t;
    const downWorker = workerMs;

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
    return {
      mib,
      upload: { sightline_mib_s: rate(upMs), direct_mib_s: rate(directUpMs), worker_ms: Math.round(upWorker), worker_share: share(upMs, upWorker), vs_direct: vs(upMs, directUpMs), commit_ms: Math.round(commitMs),
        store_complete_ms: Math.round(storeCompleteMs), worker_share_excl_store: share(upMs, Math.max(0, upWorker - storeCompleteMs)) },
      download: { sightline_mib_s: rate(downMs), direct_mib_s: rate(directDownMs), worker_ms: Math.round(downWorker), worker_share: share(downMs, downWorker), vs_direct: vs(downMs, directDownMs) },
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
