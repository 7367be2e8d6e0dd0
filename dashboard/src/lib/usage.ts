import { useEffect, useState } from "preact/hooks";
import { get } from "./api";
import type { Usage } from "./types";

// One copy of GET /usage for the whole app: the top bar's warning and the
// usage page read the same answer, fetched at most once a minute unless a
// page asks for a fresh one (after an invite is accepted, say).
const MAX_AGE_MS = 60_000;
let cached: { teamId: string; at: number; usage: Usage } | undefined;
let inFlight: Promise<Usage> | undefined;
const listeners = new Set<() => void>();

export function loadUsage(teamId: string, fresh = false): Promise<Usage> {
  if (!fresh && cached?.teamId === teamId && Date.now() - cached.at < MAX_AGE_MS) return Promise.resolve(cached.usage);
  if (!inFlight) {
    inFlight = get<Usage>("/usage")
      .then((usage) => {
        cached = { teamId, at: Date.now(), usage };
        listeners.forEach((l) => l());
        return usage;
      })
      .finally(() => (inFlight = undefined));
  }
  return inFlight;
}

// `fresh`: fetch on mount even if a recent copy exists (the usage page).
export function useUsage(teamId: string | undefined, fresh = false): { usage?: Usage; error?: Error; reload: () => void } {
  const [, bump] = useState(0);
  const [error, setError] = useState<Error>();
  const load = (fresh: boolean) => {
    if (!teamId) return;
    loadUsage(teamId, fresh).then(() => setError(undefined), setError);
  };
  useEffect(() => {
    const on = () => bump((n) => n + 1);
    listeners.add(on);
    load(fresh);
    return () => void listeners.delete(on);
  }, [teamId]);
  return { usage: cached?.teamId === teamId ? cached?.usage : undefined, error, reload: () => load(true) };
}

// The limits the usage page draws as bars: the usage field, the limit's name, a label.
export const METERED = [
  { key: "seats", limit: "seats", label: "Seats", bytes: false },
  { key: "storage_bytes", limit: "storageBytes", label: "Storage", bytes: true },
  { key: "points_this_month", limit: "metricPointsPerMonth", label: "Points this month", bytes: false },
  { key: "runs_this_month", limit: "runsPerMonth", label: "Runs this month", bytes: false },
] as const;

export type Warning = { limit: string; label: string; used: number; max: number; ratio: number; level: "80%" | "100%" };

// The server's warnings when it sends them; else worked out from usage and limits.
export function warningsOf(u: Usage): Warning[] {
  const label = (limit: string) => METERED.find((m) => m.limit === limit || m.key === limit)?.label ?? limit;
  const out: Warning[] = [];
  for (const m of METERED) {
    const used = u.usage[m.key];
    const max = u.limits[m.limit];
    const server = u.warnings?.find((w) => w.limit === m.limit || w.limit === m.key);
    const ratio = server?.ratio ?? (max > 0 ? used / max : used > 0 ? Infinity : 0);
    const level = server?.level ?? (ratio >= 1 ? "100%" : ratio >= 0.8 ? "80%" : undefined);
    if (level) out.push({ limit: m.limit, label: label(m.limit), used, max, ratio, level });
  }
  return out;
}

export function fmtBytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return "";
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export const fmtCount = (n: number) => n.toLocaleString("en-US");
