import { PALETTE } from "./format";

// A run keeps its colour wherever it is drawn (run page, compare, workspace,
// reports): the colour follows from the run id, not from its place in a list.
// Issue 13 owner: the charts helper may refine this (collision handling), but
// keeps the signature.
export function runColor(runId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) h = Math.imul(h ^ runId.charCodeAt(i), 0x01000193);
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}
