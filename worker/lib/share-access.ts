import type { Context } from "hono";
import type { AppEnv } from "../env";
import { notFound } from "./errors";
import { randomBase62 } from "./ids";
import { reportBlock } from "./report-blocks";

// What a share-link principal may read: its one report and what that report's
// blocks name. Null for every other principal (team credentials see their
// whole team as before).
export type ShareScope = {
  linkId: string;
  reportId: string;
  // The report's project: artifact blocks without a project_id name an artifact there.
  projectId: string;
  // The report version the link shows (frozen links), else null: the current one.
  frozenVersion: number | null;
  // A frozen link's data snapshot in the object store (worker/services/share-snapshot.ts);
  // null for live links (and frozen links made before snapshots existed).
  snapshotKey: string | null;
  runIds: ReadonlySet<string>;
  // Metric keys per run id that the report's charts, tables and comparisons show.
  keysByRun: ReadonlyMap<string, ReadonlySet<string>>;
  artifacts: readonly ShareArtifact[];
};

// One artifact block: the artifact version it names (`name:ref` or an artifact
// id, resolved when read) in a project, and the one file it previews (null: all).
export type ShareArtifact = { projectId: string; artifact: string; path: string | null };

export function shareScope(c: Context<AppEnv>): ShareScope | null {
  return c.get("principal")?.share ?? null;
}

// `shr_<20-char id>_<40-char secret>`: like API keys (docs/adr/0003), the
// prefix makes a leaked link recognisable, the id is a lookup handle, and only
// SHA-256 of the whole token is stored. The link's id is `shr_<20-char id>`.
const TOKEN_PATTERN = /^shr_([0-9a-zA-Z]{20})_([0-9a-zA-Z]{40})$/;

export function generateShareToken(): { id: string; token: string } {
  const id = `shr_${randomBase62(20)}`;
  return { id, token: `${id}_${randomBase62(40)}` };
}

export function parseShareToken(token: string): { id: string } | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: `shr_${m[1]!}` } : null;
}

export const looksLikeShareToken = (s: string) => s.startsWith("shr_");

// Runs-table columns that show a metric: `summary.<key>` (and `metrics.<key>`,
// the name MLflow users reach for).
const metricColumn = /^(?:summary|metrics)\.(.+)$/;

// The scope a report's blocks grant. Blocks that no longer parse (an older
// block shape) grant nothing rather than failing the link.
export function scopeFromBlocks(
  link: { linkId: string; reportId: string; projectId: string; frozenVersion: number | null; snapshotKey: string | null },
  raw: unknown[],
): ShareScope {
  const runIds = new Set<string>();
  const keysByRun = new Map<string, Set<string>>();
  const artifacts: ShareArtifact[] = [];
  for (const b of raw) {
    const parsed = reportBlock.safeParse(b);
    if (!parsed.success) continue;
    const block = parsed.data;
    if (block.type === "artifact") artifacts.push({ projectId: block.project_id ?? link.projectId, artifact: block.artifact, path: block.path ?? null });
    if (block.type === "markdown" || block.type === "artifact") continue;
    const keys =
      block.type === "runs_table"
        ? [...block.columns, ...(block.order_by ? [block.order_by] : [])].flatMap((col) => {
            const m = metricColumn.exec(col.replace(/^-/, ""));
            return m ? [m[1]!] : [];
          })
        : block.keys;
    for (const r of block.runs) {
      runIds.add(r);
      const set = keysByRun.get(r) ?? new Set<string>();
      for (const k of keys) set.add(k);
      keysByRun.set(r, set);
    }
  }
  return { ...link, runIds, keysByRun, artifacts };
}

// For routes that serve share principals (guardShare): a run or key outside the
// link's scope is a 404, exactly as if it did not exist.
export function checkShareRun(c: Context<AppEnv>, runId: string) {
  const s = shareScope(c);
  if (s && !s.runIds.has(runId)) throw notFound("run");
}

export function checkShareKey(c: Context<AppEnv>, runId: string, key: string) {
  const s = shareScope(c);
  if (s && !(s.runIds.has(runId) && s.keysByRun.get(runId)?.has(key))) throw notFound("metric");
}

// The keys of a run a share principal may see (null: no limit).
export function shareKeysOf(c: Context<AppEnv>, runId: string): ReadonlySet<string> | null {
  const s = shareScope(c);
  return s ? (s.keysByRun.get(runId) ?? new Set()) : null;
}
