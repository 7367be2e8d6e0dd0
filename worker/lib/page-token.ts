// Page tokens and cursors: text (usually JSON) in base64url, opaque to
// clients and checked, not trusted, when they come back. Decoding throws on
// anything that is not base64url of UTF-8, so a caller maps every failure to
// its own 400.

export function toBase64Url(text: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(raw: string): string {
  const bin = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
}

export const encodeJsonToken = (value: unknown): string => toBase64Url(JSON.stringify(value));
export const decodeJsonToken = (raw: string): unknown => JSON.parse(fromBase64Url(raw));

// FNV-1a, 32 bits, base 36: tells a token's query from another's; not a secret.
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}
