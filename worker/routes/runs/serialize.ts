import type { Run } from "../../services/run-lookup";

// A run as the API shows it; duration runs until now while the run is live.
export const runJson = (r: Run, now = Date.now()) => ({
  id: r.id,
  project_id: r.projectId,
  name: r.name,
  status: r.status,
  config: r.config,
  tags: r.tags,
  kv_tags: r.kvTags,
  parent_id: r.parentId ?? null,
  notes: r.notes,
  git: r.git ?? null,
  host: r.host ?? null,
  system: r.system ?? null,
  summary: r.summary,
  summary_overrides: r.summaryOverrides,
  exit_code: r.exitCode ?? null,
  pinned: r.pinned,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
  heartbeat_at: r.heartbeatAt.toISOString(),
  finished_at: r.finishedAt ? r.finishedAt.toISOString() : null,
  deleted_at: r.deletedAt ? r.deletedAt.toISOString() : null,
  archived_at: r.archivedAt ? r.archivedAt.toISOString() : null,
  duration_ms: Math.max(0, (r.finishedAt?.getTime() ?? now) - r.createdAt.getTime()),
});
