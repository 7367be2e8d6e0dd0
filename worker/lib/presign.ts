import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
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
export async function copyObject(s: Store, from: string, to: string): Promise<void> {
  const source = `${s.bucket}/${from}`;
  const command = new CopyObjectCommand({ Bucket: s.bucket, Key: to, CopySource: source });
  const url = await getSignedUrl(s.client, command, { expiresIn: 60, unhoistableHeaders: new Set(["x-amz-copy-source"]) });
  const res = await fetch(url, { method: "PUT", headers: { "x-amz-copy-source": source } });
  const text = await res.text();
  // Like completion, a copy can fail late with 200 and an <Error> body.
  if (res.status !== 200 || text.includes("<Error>")) throw storeError("CopyObject", { status: res.status, text });
}
