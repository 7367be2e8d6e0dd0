import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  UploadPartCopyCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { ApiError } from "./errors";
import type { Storage } from "./storage";

export type Store = NonNullable<Storage>;

// Minutes, not hours: a leaked URL is useful only briefly. Big parts at slow
// links still fit: a 16 MiB part needs only ~150 kbit/s to finish in time.
export const PUT_URL_TTL_SECONDS = 15 * 60;
export const GET_URL_TTL_SECONDS = 15 * 60;

// The team prefix is part of every key, so a URL signed for one team's object
// cannot be edited into another's: the path is signed, and it names the team.
export const objectKey = (teamId: string, sha256: string) => `t/${teamId}/sha256/${sha256}`;

// Bytes whose hash is not known yet (MLflow's proxied uploads) wait here until
// they are hashed and copied to their objectKey. One constant prefix, so a
// single bucket lifecycle rule can expire what a crashed request leaves.
export const stagingKey = (teamId: string, nonce: string) => `staging/${teamId}/${nonce}`;

export function requireStore(storage: () => Storage): Store {
  const s = storage();
  if (!s) throw new ApiError("unavailable", "artifact storage is not configured on this server (S3_ENDPOINT and keys are unset)");
  return s;
}

export function presignPut(s: Store, key: string): Promise<string> {
  return getSignedUrl(s.client, new PutObjectCommand({ Bucket: s.bucket, Key: key }), { expiresIn: PUT_URL_TTL_SECONDS });
}

export function presignPart(s: Store, key: string, uploadId: string, partNumber: number): Promise<string> {
  const command = new UploadPartCommand({ Bucket: s.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber });
  return getSignedUrl(s.client, command, { expiresIn: PUT_URL_TTL_SECONDS });
}

export function presignGet(s: Store, key: string): Promise<string> {
  return getSignedUrl(s.client, new GetObjectCommand({ Bucket: s.bucket, Key: key }), { expiresIn: GET_URL_TTL_SECONDS });
}

// The SDK's XML parser needs DOMParser, which workerd lacks, so calls whose
// answer is XML are signed by the SDK and sent with fetch; their few fields
// are read from the XML directly.
async function signedFetch(s: Store, method: string, command: unknown, body?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const url = await getSignedUrl(s.client, command as never, { expiresIn: 60 });
  const res = await fetch(url, { method, body, headers: body ? { "content-type": "application/xml" } : undefined });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];

function storeError(op: string, r: { status: number; text: string }): Error {
  return new Error(`${op} failed: ${r.status} ${tag(r.text, "Code") ?? ""} ${tag(r.text, "Message") ?? ""}`.trim());
}

export async function createMultipart(s: Store, key: string): Promise<string> {
  const r = await signedFetch(s, "POST", new CreateMultipartUploadCommand({ Bucket: s.bucket, Key: key }));
  const uploadId = r.status === 200 ? tag(r.text, "UploadId") : undefined;
  if (!uploadId) throw storeError("CreateMultipartUpload", r);
  return uploadId;
}

export type StoredPart = { number: number; etag: string; size: number };

/** The parts the store holds, or null when it does not know the upload. */
export async function listParts(s: Store, key: string, uploadId: string): Promise<StoredPart[] | null> {
  const parts: StoredPart[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 20; page++) {
    const command = new ListPartsCommand({ Bucket: s.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker });
    const r = await signedFetch(s, "GET", command);
    if (r.status === 404) return null;
    if (r.status !== 200) throw storeError("ListParts", r);
    for (const [, inner] of r.text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
      parts.push({
        number: Number(tag(inner!, "PartNumber")),
        etag: (tag(inner!, "ETag") ?? "").replace(/&quot;|&#34;|"/g, ""),
        size: Number(tag(inner!, "Size")),
      });
    }
    if (tag(r.text, "IsTruncated") !== "true") break;
    marker = tag(r.text, "NextPartNumberMarker");
  }
  return parts;
}

export async function completeMultipart(s: Store, key: string, uploadId: string, parts: StoredPart[]): Promise<void> {
  const xml =
    "<CompleteMultipartUpload>" +
    parts.map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>"${p.etag}"</ETag></Part>`).join("") +
    "</CompleteMultipartUpload>";
  const r = await signedFetch(s, "POST", new CompleteMultipartUploadCommand({ Bucket: s.bucket, Key: key, UploadId: uploadId }), xml);
  // S3 can answer 200 with an <Error> body when assembly fails late.
  if (r.status !== 200 || r.text.includes("<Error>")) throw storeError("CompleteMultipartUpload", r);
}

export async function abortMultipart(s: Store, key: string, uploadId: string): Promise<void> {
  const r = await signedFetch(s, "DELETE", new AbortMultipartUploadCommand({ Bucket: s.bucket, Key: key, UploadId: uploadId }));
  if (r.status !== 204 && r.status !== 200 && r.status !== 404) throw storeError("AbortMultipartUpload", r);
}

/** The stored object's size, or null when there is none. */
export async function headSize(s: Store, key: string): Promise<number | null> {
  const r = await signedFetch(s, "HEAD", new HeadObjectCommand({ Bucket: s.bucket, Key: key }));
  if (r.status === 404) return null;
  if (r.status !== 200) throw storeError("HeadObject", r);
  return Number(r.headers.get("content-length"));
}

export async function deleteObject(s: Store, key: string): Promise<void> {
  const r = await signedFetch(s, "DELETE", new DeleteObjectCommand({ Bucket: s.bucket, Key: key }));
  if (r.status !== 204 && r.status !== 200 && r.status !== 404) throw storeError("DeleteObject", r);
}

// Server-side copy, so the bytes do not pass through the Worker again. The
// copy source is a header, signed as one (a query parameter would not do).
// One CopyObject takes at most 5 GiB; bigger objects are copied in parts.
const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;
const COPY_PART_SIZE = 1024 ** 3;

export async function copyObject(s: Store, from: string, to: string, size: number): Promise<void> {
  const source = `${s.bucket}/${from}`;
  if (size <= COPY_OBJECT_LIMIT) {
    const command = new CopyObjectCommand({ Bucket: s.bucket, Key: to, CopySource: source });
    const r = await signedHeaderFetch(s, command, { "x-amz-copy-source": source });
    // Like completion, a copy can fail late with 200 and an <Error> body.
    if (r.status !== 200 || r.text.includes("<Error>")) throw storeError("CopyObject", r);
    return;
  }
  // Not exercised by the local store (s3rver has no UploadPartCopy); R2 and S3 have it.
  const uploadId = await createMultipart(s, to);
  try {
    const parts: StoredPart[] = [];
    for (let n = 1, start = 0; start < size; n++, start += COPY_PART_SIZE) {
      const range = `bytes=${start}-${Math.min(start + COPY_PART_SIZE, size) - 1}`;
      const command = new UploadPartCopyCommand({ Bucket: s.bucket, Key: to, UploadId: uploadId, PartNumber: n, CopySource: source, CopySourceRange: range });
      const r = await signedHeaderFetch(s, command, { "x-amz-copy-source": source, "x-amz-copy-source-range": range });
      const etag = r.status === 200 ? tag(r.text, "ETag")?.replace(/&quot;|&#34;|"/g, "") : undefined;
      if (!etag) throw storeError("UploadPartCopy", r);
      parts.push({ number: n, etag, size: 0 });
    }
    await completeMultipart(s, to, uploadId, parts);
  } catch (err) {
    await abortMultipart(s, to, uploadId).catch(() => undefined);
    throw err;
  }
}

async function signedHeaderFetch(s: Store, command: unknown, headers: Record<string, string>) {
  const url = await getSignedUrl(s.client, command as never, { expiresIn: 60, unhoistableHeaders: new Set(Object.keys(headers)) });
  const res = await fetch(url, { method: "PUT", headers });
  return { status: res.status, text: await res.text() };
}
