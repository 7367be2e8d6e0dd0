import { ApiError } from "../../lib/errors";

export const MAX_DECODED_BYTES = 4 * 1024 * 1024;

const tooLarge = () => new ApiError("payload_too_large", `request body is larger than ${MAX_DECODED_BYTES} bytes once decoded; send smaller batches`);

// The request body as text, gunzipped when Content-Encoding says gzip. The
// decoded size is counted while inflating and the stream cancelled past the
// cap, so a small gzip bomb cannot make the Worker hold more than the cap.
export async function readBodyText(req: Request): Promise<string> {
  if (!req.body) return "";
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  let stream: ReadableStream<Uint8Array> = req.body;
  if (encoding === "gzip" || encoding === "x-gzip") stream = stream.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  else if (encoding !== "identity") throw new ApiError("unsupported_media_type", `Content-Encoding: use gzip or none (got ${encoding})`);
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_DECODED_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError("invalid_argument", "body: could not be decompressed (is it really gzip?)");
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder().decode(all);
}
