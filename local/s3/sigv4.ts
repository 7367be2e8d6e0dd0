// AWS Signature V4 verification for the local S3 store. s3rver checks no V4
// signatures at all, so without this a broken presigner or a tampered URL would
// pass locally and fail only against R2. Deliberately written from the spec
// with node:crypto alone: a second implementation, not the SDK checking itself.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type SigV4Request = {
  method: string;
  /** Path as sent on the wire, still percent-encoded, without the query. */
  path: string;
  /** Query string as sent, without the leading "?". */
  rawQuery: string;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
};

export type SigV4Result =
  | { ok: true; accessKeyId: string; presigned: boolean; payloadHash: string }
  | { ok: false; status: number; code: string; message: string; canonicalRequest?: string };

export type SigV4Options = {
  /** When set, a credential scope naming another region is refused, as S3 does. */
  region?: string;
  service?: string;
  /** Header-signed requests: allowed distance between x-amz-date and now. */
  headerSkewSeconds?: number;
  /** Presigned URLs: how far X-Amz-Date may lie in the future. */
  presignFutureSkewSeconds?: number;
};

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const STREAMING_SIGNED_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_EXPIRES = 604800;

type Fail = Extract<SigV4Result, { ok: false }>;
type Claim = {
  accessKeyId: string;
  scope: string[]; // date, region, service, "aws4_request"
  amzDate: string;
  signedHeaders: string;
  signature: string;
  payloadHash: string;
};

export function verifySigV4(
  req: SigV4Request,
  credentials: Map<string, string>,
  now: Date,
  options: SigV4Options = {},
): SigV4Result {
  const query = parseQuery(req.rawQuery);
  if (!query) return fail(400, "InvalidArgument", "The query string is not valid percent-encoding.");
  const authorization = single(req.headers, "authorization");
  const presigned = query.some(([k]) => k === "X-Amz-Algorithm");
  if (authorization !== undefined && presigned) {
    return fail(400, "InvalidArgument", "Only one auth mechanism allowed: X-Amz-Algorithm or the Authorization header.");
  }
  if (authorization === undefined && !presigned) return fail(403, "AccessDenied", "Access Denied");

  const claim = presigned ? claimFromQuery(query, now, options) : claimFromHeader(authorization!, req.headers, now, options);
  if ("ok" in claim) return claim;

  const [date, region, service, terminator] = claim.scope;
  const malformed = presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed";
  if (claim.scope.length !== 4 || terminator !== "aws4_request" || date !== claim.amzDate.slice(0, 8)) {
    return fail(400, malformed, "The credential scope must be <date>/<region>/<service>/aws4_request, dated as X-Amz-Date.");
  }
  if (service !== (options.service ?? "s3")) return fail(400, malformed, `The service '${service}' is wrong here.`);
  if (options.region !== undefined && region !== options.region) {
    return fail(400, malformed, `The region '${region}' is wrong; expecting '${options.region}'.`);
  }
  const secret = credentials.get(claim.accessKeyId);
  if (secret === undefined) {
    return fail(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  }

  const signed = claim.signedHeaders.split(";");
  if (!signed.includes("host")) return fail(400, malformed, "SignedHeaders must include host.");
  // Unsigned x-amz-* headers would let a URL holder change what a request does
  // (x-amz-copy-source turns a presigned PUT into a copy of any object).
  const unsigned = Object.keys(req.headers).filter((h) => h.startsWith("x-amz-") && !signed.includes(h));
  if (unsigned.length) {
    return fail(403, "AccessDenied", `There were headers present in the request which were not signed: ${unsigned.join(", ")}`);
  }
  const missing = signed.find((h) => req.headers[h] === undefined);
  if (missing) return fail(403, "AccessDenied", `The signed header '${missing}' is missing from the request.`);

  const uri = canonicalUri(req.path);
  if (uri === undefined) return fail(400, "InvalidURI", "Couldn't parse the specified URI.");
  const canonicalRequest = [
    req.method.toUpperCase(),
    uri,
    canonicalQuery(query.filter(([k]) => !(presigned && k === "X-Amz-Signature"))),
    signed.map((h) => `${h}:${canonicalHeaderValue(req.headers[h])}\n`).join(""),
    claim.signedHeaders,
    claim.payloadHash,
  ].join("\n");
  const stringToSign = [ALGORITHM, claim.amzDate, claim.scope.join("/"), sha256Hex(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${secret}`, date!);
  for (const part of [region!, service!, "aws4_request"]) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, stringToSign).toString("hex"));
  const provided = Buffer.from(claim.signature);
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return {
      ...fail(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
      canonicalRequest,
    };
  }
  return { ok: true, accessKeyId: claim.accessKeyId, presigned, payloadHash: claim.payloadHash };
}

function claimFromQuery(query: [string, string][], now: Date, options: SigV4Options): Claim | Fail {
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  const [algorithm, credential, amzDate, expires, signedHeaders, signature] = [
    "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
  ].map(get);
  const bad = (message: string) => fail(400, "AuthorizationQueryParametersError", message);
  if (algorithm !== ALGORITHM) return bad(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  if (!credential || !amzDate || !expires || !signedHeaders || !signature) {
    return bad("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
  }
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) return bad(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (!/^\d+$/.test(expires) || Number(expires) < 1) return bad("X-Amz-Expires must be a positive whole number of seconds.");
  if (Number(expires) > MAX_EXPIRES) {
    return bad("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds");
  }
  if (now.getTime() > signedAt + Number(expires) * 1000) return fail(403, "AccessDenied", "Request has expired");
  if (signedAt - now.getTime() > (options.presignFutureSkewSeconds ?? 300) * 1000) {
    return fail(403, "AccessDenied", "Request is not valid yet: X-Amz-Date is in the future.");
  }
  const [accessKeyId = "", ...scope] = credential.split("/");
  // Presigned URLs carry no body hash unless the signer chose to pin one.
  const payloadHash = get("X-Amz-Content-Sha256") ?? UNSIGNED_PAYLOAD;
  return { accessKeyId, scope, amzDate, signedHeaders, signature, payloadHash };
}

function claimFromHeader(
  authorization: string,
  headers: SigV4Request["headers"],
  now: Date,
  options: SigV4Options,
): Claim | Fail {
  const bad = (message: string) => fail(400, "AuthorizationHeaderMalformed", message);
  const space = authorization.indexOf(" ");
  if (space < 0 || authorization.slice(0, space) !== ALGORITHM) {
    return fail(400, "InvalidArgument", `Unsupported Authorization Type: only ${ALGORITHM} is accepted.`);
  }
  const parts = new Map<string, string>();
  for (const piece of authorization.slice(space + 1).split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get("Credential");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  if (parts.size !== 3 || !credential || !signedHeaders || !signature) {
    return bad("The authorization header requires three components: Credential, SignedHeaders, and Signature.");
  }
  const amzDate = single(headers, "x-amz-date");
  const signedAt = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!amzDate || !signedAt) return fail(403, "AccessDenied", "AWS authentication requires a valid x-amz-date header.");
  if (Math.abs(now.getTime() - signedAt) > (options.headerSkewSeconds ?? 900) * 1000) {
    return fail(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
  }
  const payloadHash = single(headers, "x-amz-content-sha256");
  if (payloadHash === undefined) return fail(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  if (payloadHash !== UNSIGNED_PAYLOAD && payloadHash !== STREAMING_SIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(payloadHash)) {
    return fail(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a lower-case hex sha256.");
  }
  const [accessKeyId = "", ...scope] = credential.split("/");
  return { accessKeyId, scope, amzDate, signedHeaders, signature, payloadHash };
}

/** S3 signs each path segment encoded once, with no dot-segment or slash normalisation. */
function canonicalUri(path: string): string | undefined {
  try {
    return path === "" ? "/" : path.split("/").map((s) => rfc3986(decodeURIComponent(s))).join("/");
  } catch {
    return undefined;
  }
}

function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

// "+" is read as a space, as form encoders (URLSearchParams) write it.
function parseQuery(rawQuery: string): [string, string][] | undefined {
  try {
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return rawQuery
      .split("&")
      .filter((p) => p !== "")
      .map((p) => {
        const eq = p.indexOf("=");
        return eq < 0 ? [decode(p), ""] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
      });
  } catch {
    return undefined;
  }
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : [value ?? ""];
  return values.map((v) => v.trim().replace(/\s+/g, " ")).join(",");
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  // Date.UTC rolls 20240231 over into March; a real signer never writes that.
  return new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, "") === s ? t : undefined;
}

function single(headers: SigV4Request["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

const sha256Hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
const fail = (status: number, code: string, message: string): Fail => ({ ok: false, status, code, message });
