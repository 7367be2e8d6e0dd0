import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { deleteObject, headSize, presignGet, presignPut, type Store } from "../lib/presign";
import { mapLimit } from "./artifacts/objects";

// Frozen share snapshots live under the team's prefix, so team deletion finds
// them by listing it and a presigned URL for one team cannot reach another's.
// A snapshot is a manifest at snapshotKey(team, sha) and its series parts at
// `${manifest}.d/<n>`; the sha is of the manifest, which names every part's
// sha, so the key addresses the whole content.
export const snapshotPrefix = (teamId: string) => `t/${teamId}/snapshots/`;
export const snapshotKey = (teamId: string, sha256: string) => `${snapshotPrefix(teamId)}${sha256}`;
export const partKey = (manifestKey: string, n: number) => `${manifestKey}.d/${n}`;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function putBytes(s: Store, key: string, bytes: Uint8Array): Promise<void> {
  const res = await fetch(await presignPut(s, key), { method: "PUT", body: bytes as Uint8Array<ArrayBuffer> });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`snapshot PUT ${key} failed: ${res.status}`);
}

// Snapshot objects never change once written (content-addressed), so an
// isolate keeps the recent ones: a shared report's many bucket reads fetch
// each part once. Bounded by bytes; the oldest go first.
const CACHE_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, Uint8Array>();
let cachedBytes = 0;

function evict(key: string) {
  const had = cache.get(key);
  if (!had) return;
  cache.delete(key);
  cachedBytes -= had.length;
}

export async function getBytes(s: Store, key: string): Promise<Uint8Array | null> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const res = await fetch(await presignGet(s, key));
  if (res.status === 404) {
    await res.arrayBuffer();
    return null;
  }
  if (res.status !== 200) throw new Error(`snapshot GET ${key} failed: ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length <= CACHE_BYTES / 4) {
    cache.set(key, bytes);
    cachedBytes += bytes.length;
    for (const [k, v] of cache) {
      if (cachedBytes <= CACHE_BYTES) break;
      cache.delete(k);
      cachedBytes -= v.length;
    }
  }
  return bytes;
}

export async function exists(s: Store, key: string): Promise<boolean> {
  return (await headSize(s, key)) !== null;
}

// Up to `max` keys under a prefix (ListObjectsV2, its XML read directly:
// workerd has no DOMParser for the SDK's parser).
export async function listKeys(s: Store, prefix: string, max = 1000): Promise<string[]> {
  const url = await getSignedUrl(s.client, new ListObjectsV2Command({ Bucket: s.bucket, Prefix: prefix, MaxKeys: max }), { expiresIn: 60 });
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`snapshot list ${prefix} failed: ${res.status}`);
  return [...text.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

// Deletes up to `max` objects under the prefix; returns how many it deleted.
export async function deleteUnder(s: Store, prefix: string, max = 1000): Promise<number> {
  const keys = await listKeys(s, prefix, max);
  await mapLimit(keys, 8, async (k) => {
    await deleteObject(s, k);
    evict(k);
  });
  return keys.length;
}
