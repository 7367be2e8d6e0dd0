import { PALETTE } from "./format";

// A run keeps its colour wherever it is drawn (run page, compare, workspace,
// reports): the colour follows from the run id, not from its place in a list.
// The first ten are the dashboard's palette; fourteen more, picked to stay
// apart from those and from each other in both themes, make two runs of a
// ten-run set share a colour far less often (a 10-colour hash collides in most
// sets of five). Six-digit hex, so callers may append an alpha byte.
const RUN_COLORS = [
  ...PALETTE,
  "#1f9e9e",
  "#b8860b",
  "#c2185b",
  "#5c6bc0",
  "#43a047",
  "#f4511e",
  "#8e24aa",
  "#00838f",
  "#9e9d24",
  "#6d4c41",
  "#ec407a",
  "#3949ab",
  "#00897b",
  "#ef6c00",
];

export function runColor(runId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) h = Math.imul(h ^ runId.charCodeAt(i), 0x01000193);
  return RUN_COLORS[(h >>> 0) % RUN_COLORS.length]!;
}
