// The multipart pieces s3rver 3.7.1 lacks. It implements CreateMultipartUpload,
// UploadPart and CompleteMultipartUpload, but answers AbortMultipartUpload and
// ListParts with MethodNotAllowed, creates an upload on the fly when UploadPart
// names an unknown uploadId, and completes without checking parts or ETags. The
// front answers those from s3rver's own on-disk layout:
//   <storeDir>/<bucket>/._S3rver_uploads/<uploadId>/{key, metadata, <n>, <n>.md5}
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export type S3Failure = { status: number; code: string; message: string };

const MIN_PART_SIZE = 5 * 1024 * 1024;
const NO_SUCH_UPLOAD: S3Failure = {
  status: 404,
  code: "NoSuchUpload",
  message: "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.",
};

/** The upload's directory when uploadId names a live upload of exactly this key. */
export async function findUpload(storeDir: string, bucket: string, key: string, uploadId: string): Promise<string | undefined> {
  // s3rver mints 32 hex digits; anything else must not reach path.join.
  if (!/^[0-9a-f]{32}$/.test(uploadId) || bucket.includes("/") || bucket.startsWith(".")) return undefined;
  const dir = join(storeDir, bucket, "._S3rver_uploads", uploadId);
  const stored = await readFile(join(dir, "key"), "utf8").catch(() => undefined);
  return stored === key ? dir : undefined;
}

export function noSuchUpload(): S3Failure {
  return NO_SUCH_UPLOAD;
}

export async function abortUpload(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

type Part = { number: number; etag: string; size: number; lastModified: Date };

async function listStoredParts(dir: string): Promise<Part[]> {
  const names = (await readdir(dir)).filter((n) => /^\d+$/.test(n));
  const parts = await Promise.all(
    names.map(async (n) => {
      const [info, md5] = await Promise.all([stat(join(dir, n)), readFile(join(dir, `${n}.md5`), "utf8").catch(() => "")]);
      return { number: Number(n), etag: md5.trim(), size: info.size, lastModified: info.mtime };
    }),
  );
  return parts.filter((p) => p.etag !== "").sort((a, b) => a.number - b.number);
}

export async function listPartsXml(
  dir: string,
  ids: { bucket: string; key: string; uploadId: string },
  query: URLSearchParams,
): Promise<string> {
  const marker = Number(query.get("part-number-marker") ?? 0) || 0;
  const maxParts = Math.min(Number(query.get("max-parts") ?? 1000) || 1000, 1000);
  const after = (await listStoredParts(dir)).filter((p) => p.number > marker);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  const parts = page
    .map((p) => `<Part><PartNumber>${p.number}</PartNumber><LastModified>${p.lastModified.toISOString()}</LastModified>` +
      `<ETag>&quot;${p.etag}&quot;</ETag><Size>${p.size}</Size></Part>`)
    .join("");
  return xmlDocument(
    `<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xmlEscape(ids.bucket)}</Bucket>` +
      `<Key>${xmlEscape(ids.key)}</Key><UploadId>${ids.uploadId}</UploadId><StorageClass>STANDARD</StorageClass>` +
      `<PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${page.at(-1)?.number ?? marker}</NextPartNumberMarker>` +
      `<MaxParts>${maxParts}</MaxParts><IsTruncated>${truncated}</IsTruncated>${parts}</ListPartsResult>`,
  );
}

/** What S3 checks before assembling: parts exist, ETags match, ascending order, 5 MiB minimum but for the last. */
export async function checkCompletion(dir: string, xml: string): Promise<S3Failure | undefined> {
  const requested = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, inner]) => ({
    number: Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner!)?.[1] ?? NaN),
    etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(inner!)?.[1] ?? "").replace(/&quot;|&#34;|"/g, "").trim(),
  }));
  if (requested.length === 0 || requested.some((p) => !Number.isInteger(p.number))) {
    return { status: 400, code: "MalformedXML", message: "The XML you provided was not well-formed or did not validate against our published schema." };
  }
  const stored = new Map((await listStoredParts(dir)).map((p) => [p.number, p]));
  for (const [i, p] of requested.entries()) {
    if (i > 0 && p.number <= requested[i - 1]!.number) {
      return { status: 400, code: "InvalidPartOrder", message: "The list of parts was not in ascending order. Parts must be ordered by part number." };
    }
    const have = stored.get(p.number);
    if (!have || have.etag !== p.etag) {
      return { status: 400, code: "InvalidPart", message: `Part ${p.number} could not be found, or its ETag does not match.` };
    }
    if (i < requested.length - 1 && have.size < MIN_PART_SIZE) {
      return { status: 400, code: "EntityTooSmall", message: `Part ${p.number} is smaller than the minimum allowed size of 5 MiB.` };
    }
  }
  return undefined;
}

export function xmlDocument(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
