import type { BenchStack } from "./stack.ts";

// Issue 13: a project workspace of 50 charts in 5 sections over 10 runs, first
// paint and all charts drawn (p50, real Chromium), and a hover sweep across 20
// synced charts (worst frame). The charts helper fills this in.
export type WorkspaceFigures = Record<string, unknown>;
export async function benchWorkspace(_stack: BenchStack, _quick: boolean): Promise<WorkspaceFigures> {
  return { built: false };
}
export const describeWorkspace = (f: WorkspaceFigures): string[] => [`workspace: ${JSON.stringify(f)}`];
