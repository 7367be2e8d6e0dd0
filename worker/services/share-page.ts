import { hashApiKey, sameHash } from "../lib/api-key-format";
import type { Db } from "../lib/db";
import { parseShareToken } from "../lib/share-access";
import { linkWithShownReport } from "./share-links";

// What a link preview (Open Graph) may say about a shared report: its title and
// the start of its first text block, and only for a live link whose whole
// token matches. Null for anything else, so a bad token learns nothing.
export type SharePreview = { title: string; description: string };

export async function sharePreview(db: Db, token: string, now = Date.now()): Promise<SharePreview | null> {
  const parsed = parseShareToken(token);
  if (!parsed) return null;
  const row = await linkWithShownReport(db, parsed.id);
  if (!row || row.expiresAt.getTime() <= now || !row.shown) return null;
  if (!sameHash(row.secretHash, await hashApiKey(token))) return null;
  const { title, blocks } = row.shown;
  return { title, description: firstText(Array.isArray(blocks) ? blocks : []) };
}

const MAX_DESCRIPTION = 200;

// The first markdown block with words in it, as plain text of at most 200 characters.
export function firstText(blocks: unknown[]): string {
  for (const b of blocks) {
    if (!b || typeof b !== "object" || (b as { type?: unknown }).type !== "markdown") continue;
    const text = plainText(String((b as { text?: unknown }).text ?? ""));
    if (text) return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1).replace(/\s+\S*$/, "")}…`;
  }
  return "";
}

// Markdown to the words a reader sees: no code fences, tags, link targets or markup characters.
export function plainText(md: string): string {
  return md
    .replace(/```[\s\S]*?(```|$)/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[*_`~]+/g, "")
    .replace(/\$+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
