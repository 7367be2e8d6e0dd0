import type { BenchStack } from "./stack.ts";

// Issue 12: first paint of a shared report (10 chart panels × 10 runs ×
// 100,000 points) in real Chromium, cold and warm p50, and share-link
// requests per second on one Worker for the report's bucket reads.
// The share helper fills this in.
export type ShareFigures = Record<string, unknown>;
export async function benchShare(_stack: BenchStack, _quick: boolean): Promise<ShareFigures> {
  return { built: false };
}
export const describeShare = (f: ShareFigures): string[] => [`share: ${JSON.stringify(f)}`];
