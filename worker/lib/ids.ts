const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

// Random base62 from rejection sampling, so every character is equally likely.
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < 248 && out.length < length) out += alphabet[b % 62];
    }
  }
  return out;
}

export type IdPrefix = "usr" | "team" | "prj" | "run" | "art" | "ver" | "file" | "rpt" | "shr";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`;
}
