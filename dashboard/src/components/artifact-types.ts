// Shapes of the artifacts API's JSON (worker/routes/artifacts/schema.ts).
export type Artifact = { id: string; project_id: string; name: string; type: string; description: string; latest_version: number; created_at: string; updated_at: string };
export type ArtifactVersion = {
  id: string;
  version: number | null;
  state: "pending" | "committed";
  size: number;
  file_count: number;
  metadata: Record<string, unknown>;
  description: string;
  aliases: string[];
  created_at: string;
  committed_at: string | null;
};
export type ArtifactFile = { path: string; size: number; sha256: string; url?: string };
export type RunRef = { id: string; name: string; project_id: string };
export type VersionDetail = { artifact: Artifact; version: ArtifactVersion; files: ArtifactFile[]; produced_by: RunRef | null; used_by: RunRef[] };
export type Lineage = { artifact: string; type: string; project_id: string; version_id: string; version: number };

export function fmtBytes(n: number | undefined) {
  if (n === undefined) return "";
  const u = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) (n /= 1024), i++;
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}
