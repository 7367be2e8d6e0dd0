import type { Context } from "hono";
import type { AppEnv } from "../env";

// What a share-link principal may read: its one report and what that report's
// blocks name. Null for every other principal (team credentials see their
// whole team as before). Filled in with the share-link principal (issue 12).
export type ShareScope = {
  linkId: string;
  reportId: string;
  // The report version the link shows (frozen links), else null: the current one.
  frozenVersion: number | null;
  runIds: ReadonlySet<string>;
  // Metric keys per run id that the report's charts, tables and comparisons show.
  keysByRun: ReadonlyMap<string, ReadonlySet<string>>;
  artifacts: ReadonlySet<string>;
};

export function shareScope(_c: Context<AppEnv>): ShareScope | null {
  return null;
}
