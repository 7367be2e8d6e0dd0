import { invalidParam } from "../lib/errors";

// get-history's page token: the next step to read. Steps are what the chunks
// are keyed by, and compaction never moves them, so a token stays valid
// across requests however the chunks are rewritten meanwhile.
export const encodeStepToken = (step: number) => btoa(JSON.stringify({ step })).replace(/=+$/, "");

export function decodeStepToken(raw: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(raw));
  } catch {
    throw invalidParam(`Invalid page token '${raw.slice(0, 100)}': not a token from get-history`);
  }
  const step = (parsed as { step?: unknown } | null)?.step;
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 0) throw invalidParam(`Invalid page token '${raw.slice(0, 100)}': not a token from get-history`);
  return step;
}
