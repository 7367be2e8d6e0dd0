import { useState } from "preact/hooks";
import { api, get } from "../lib/api";
import type { RetentionRun } from "../lib/types";
import { useAsync } from "../lib/use-async";

export const RETENTION_WINDOW_DAYS = 7;

// Runs of a project that retention deletes within the next 7 days, by id.
// A server without the preview route (or a refusal) marks nothing: the badge
// is a hint, never a reason to break the runs table.
export function useRetention(projectId: string | undefined) {
  const preview = useAsync(
    (s) =>
      projectId
        ? get<{ runs: RetentionRun[] }>(`/retention/preview?project=${encodeURIComponent(projectId)}&within_days=${RETENTION_WINDOW_DAYS}`, s).then(
            (r) => new Map(r.runs.map((x) => [x.id, x.deletes_at])),
            () => new Map<string, string>(),
          )
        : Promise.resolve(new Map<string, string>()),
    [projectId],
  );
  return { deletes: preview.data ?? new Map<string, string>(), reload: preview.reload };
}

export function RetentionBadge({ deletesAt }: { deletesAt: string }) {
  const d = new Date(deletesAt);
  const day = d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
  return (
    <span class="badge retention" data-testid="retention-badge" title={`Retention deletes this run on ${d.toLocaleString()} unless it is pinned`}>
      deletes {day}
    </span>
  );
}

// Pinned runs are kept by retention; the control is for those who can write.
export function PinButton({ runId, runName, pinned, onChange, small }: { runId: string; runName: string; pinned: boolean; onChange: (pinned: boolean) => void; small?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function toggle(e: Event) {
    e.stopPropagation();
    setBusy(true);
    setError(undefined);
    try {
      const res = await api<{ run: { pinned?: boolean } }>("PATCH", `/runs/${runId}`, { pinned: !pinned });
      onChange(res.run.pinned ?? !pinned);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button
      class={`pin ${pinned ? "on" : ""} ${small ? "small ghost" : ""}`}
      aria-pressed={pinned}
      aria-label={`${pinned ? "Unpin" : "Pin"} ${runName}`}
      title={error ?? (pinned ? "Pinned: retention keeps this run. Click to unpin." : "Pin to keep this run past retention")}
      disabled={busy}
      onClick={toggle}
      data-testid="pin"
    >
      {pinned ? "📌 Pinned" : "Pin"}
    </button>
  );
}
