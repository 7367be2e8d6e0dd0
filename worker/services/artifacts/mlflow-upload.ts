import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import {
  abortMultipart, completeMultipart, createMultipart, listParts, presignGet, presignPart, presignPut, stagingKey,
  type Store,
} from "../../lib/presign";
import { commitStaged, dropStaged } from "./mlflow-files";
import type { ArtifactTarget } from "./mlflow-paths";
import { MAX_URLS_PER_REQUEST, mapLimit } from "./objects";

// MLflow's client sends bytes without their hash, so the hash is taken on the
// way: the body streams to a staging key while a DigestStream hashes it
// (never held whole in memory), then the staged object is copied to its
// content address (mlflow-files.ts commitStaged) and the staging key dropped.

// S3's (and R2's) single-PUT object limit. Cloudflare caps request bodies
// lower (100 MB on most plans), so bigger files take the multipart route.
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

// workerd's streaming hash; the Node typings of `crypto` do not know it.
const newDigest = () => new (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream("SHA-256");
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

export async function uploadStream(db: Db, store: Store, t: ArtifactTarget, body: ReadableStream<Uint8Array> | null, length: number) {
  const key = stagingKey(t.teamId, crypto.randomUUID());
  const digest = newDigest();
  const hashing = digest.getWriter();
  let seen = 0;
  const counted = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, out) {
      seen += chunk.byteLength;
      await hashing.write(chunk);
      out.enqueue(chunk);
    },
  });
  // A fixed length lets the store's PUT carry Content-Length, and fails the
  // upload if the client sends fewer or more bytes than it declared.
  const fixed = new FixedLengthStream(length);
  const source = body ?? new ReadableStream<Uint8Array>({ start: (ctl) => ctl.close() });
  const piping = source.pipeThrough(counted).pipeTo(fixed.writable);
  try {
    const url = await presignPut(store, key);
    const [res] = await Promise.all([fetch(url, { method: "PUT", body: fixed.readable }), piping]);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`PutObject (staging) failed: ${res.status} ${text.slice(0, 200)}`);
  } catch (err) {
    if (seen !== length) throw new ApiError("invalid_argument", `the request body ended after ${seen} of the ${length} bytes its Content-Length declared`);
    throw err;
  }
  await hashing.close();
  const sha256 = hex(await digest.digest);
  try {
    await commitStaged(db, store, t, key, sha256, length);
  } finally {
    await dropStaged(store, key);
  }
  return { sha256, size: length };
}

// The upload id handed to the client is "<nonce>:<store's upload id>": the
// nonce names the staging key under the caller's team, so an upload id from
// another team points at a key of this team that has no such upload.
const NONCE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseUploadId(teamId: string, uploadId: string) {
  const at = uploadId.indexOf(":");
  const nonce = uploadId.slice(0, at);
  const storeId = uploadId.slice(at + 1);
  if (at < 0 || !NONCE.test(nonce) || !storeId) throw new ApiError("invalid_argument", `upload_id '${uploadId}' is not one this server handed out`);
  return { key: stagingKey(teamId, nonce), storeId };
}

export const MAX_PARTS = MAX_URLS_PER_REQUEST;

export async function createUpload(store: Store, t: ArtifactTarget, numParts: number) {
  if (numParts < 1 || numParts > MAX_PARTS) {
    throw new ApiError(
      "invalid_argument",
      `num_parts must be between 1 and ${MAX_PARTS} (got ${numParts}); raise MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE for bigger files`,
    );
  }
  const nonce = crypto.randomUUID();
  const key = stagingKey(t.teamId, nonce);
  const storeId = await createMultipart(store, key);
  const credentials = await mapLimit(
    Array.from({ length: numParts }, (_, i) => i + 1),
    16,
    async (n) => ({ part_number: n, url: await presignPart(store, key, storeId, n), headers: {} as Record<string, string> }),
  );
  return { upload_id: `${nonce}:${storeId}`, credentials };
}

export async function completeUpload(db: Db, store: Store, t: ArtifactTarget, uploadId: string, partNumbers: number[]) {
  const { key, storeId } = parseUploadId(t.teamId, uploadId);
  if (partNumbers.length === 0) throw new ApiError("invalid_argument", "parts must list the uploaded parts");
  // The store's own list, not the client's ETags: what is there is what counts.
  const stored = await listParts(store, key, storeId);
  if (!stored) throw new ApiError("not_found", `no multipart upload ${uploadId} in progress (completed, aborted or expired)`);
  const byNumber = new Map(stored.map((p) => [p.number, p]));
  const wanted = [...new Set(partNumbers)].sort((a, b) => a - b);
  const absent = wanted.filter((n) => !byNumber.has(n));
  if (absent.length) throw new ApiError("invalid_argument", `parts ${absent.slice(0, 10).join(", ")} were not uploaded`);
  await completeMultipart(store, key, storeId, wanted.map((n) => byNumber.get(n)!));
  try {
    const { sha256, size } = await hashStored(store, key);
    await commitStaged(db, store, t, key, sha256, size);
  } finally {
    await dropStaged(store, key);
  }
}

export async function abortUpload(store: Store, t: ArtifactTarget, uploadId: string) {
  const { key, storeId } = parseUploadId(t.teamId, uploadId);
  await abortMultipart(store, key, storeId);
}

// The parts went straight to the store, so their hash is taken by reading
// the assembled object back once (streamed, not buffered).
async function hashStored(store: Store, key: string) {
  const res = await fetch(await presignGet(store, key));
  if (res.status !== 200 || !res.body) throw new Error(`GetObject (staging) failed: ${res.status} ${(await res.text()).slice(0, 200)}`);
  const digest = newDigest();
  let size = 0;
  await res.body
    .pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, out) => void ((size += chunk.byteLength), out.enqueue(chunk)) }))
    .pipeTo(digest);
  return { sha256: hex(await digest.digest), size };
}
