import { randomBase62 } from "./ids";
import { timingSafeEqual } from "./password";

// `sl_<id>_<secret>`: the prefix makes keys recognisable to people and secret
// scanners, the id is a non-secret lookup handle, the secret is 192+ bits.
const KEY_PATTERN = /^sl_([0-9a-zA-Z]{16})_([0-9a-zA-Z]{40})$/;

export function generateApiKey(): { id: string; key: string } {
  const id = randomBase62(16);
  return { id, key: `sl_${id}_${randomBase62(40)}` };
}

export function parseApiKey(key: string): { id: string } | null {
  const m = KEY_PATTERN.exec(key);
  return m ? { id: m[1]! } : null;
}

export const looksLikeApiKey = (s: string) => s.startsWith("sl_");

// The secret is high-entropy, so a fast hash is enough (no KDF needed).
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function sameHash(a: string, b: string): boolean {
  const enc = new TextEncoder();
  return timingSafeEqual(enc.encode(a), enc.encode(b));
}
