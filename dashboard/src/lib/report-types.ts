// Report shapes as the API sends them (worker/lib/report-blocks.ts, worker/routes/reports/schema.ts).
export type MarkdownBlock = { type: "markdown"; id: string; text: string };
export type ChartBlock = { type: "chart"; id: string; title?: string; runs: string[]; keys: string[]; x: "step" | "time"; range?: [number, number]; smoothing: number; log_y: boolean };
export type RunsTableBlock = { type: "runs_table"; id: string; runs: string[]; columns: string[]; order_by?: string };
export type CompareBlock = { type: "compare"; id: string; runs: string[]; keys: string[] };
export type ArtifactBlock = { type: "artifact"; id: string; project_id?: string; artifact: string; path?: string };
export type Block = MarkdownBlock | ChartBlock | RunsTableBlock | CompareBlock | ArtifactBlock;

export type Report = {
  id: string;
  project_id: string;
  title: string;
  blocks: Block[];
  version: number;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
};
export type ReportSummary = { id: string; title: string; version: number; updated_at: string; updated_by: string };
export type ReportVersion = { version: number; title: string; saved_by: string; saved_at: string };
export type ShareLink = {
  id: string;
  report_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  frozen: boolean;
  frozen_version: number | null;
};

export const blockId = () => `b${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export const BLOCK_LABELS: Record<Block["type"], string> = { markdown: "Text", chart: "Chart", runs_table: "Runs table", compare: "Run comparison", artifact: "Artifact" };

// "name:alias" or "name:v3" (an artifact name has no colon); a bare name is its latest version.
export function splitArtifactRef(ref: string): { name: string; ref: string } {
  const i = ref.lastIndexOf(":");
  return i > 0 ? { name: ref.slice(0, i), ref: ref.slice(i + 1) } : { name: ref, ref: "latest" };
}

// Move the block at `from` to sit before the block now at `to` (to = length: last).
export function moveBlock<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [b] = out.splice(from, 1);
  out.splice(to > from ? to - 1 : to, 0, b!);
  return out;
}
