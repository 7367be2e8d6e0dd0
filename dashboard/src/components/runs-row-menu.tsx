import { useEffect, useRef } from "preact/hooks";
import { runMetricsHref } from "../lib/run-export";
import type { Run } from "../lib/types";

export type RowMenuAt = { run: Run; x: number; y: number };

// One run's menu, opened from its row's ⋯ button: download every metric
// point (the API's export route), archive or unarchive, delete (with Undo).
// Drawn once for the page, fixed at the button, so the table's clipped cells
// never cut it off.
export function RunsRowMenu({ at, canWrite, onClose, onArchive, onDelete }: { at: RowMenuAt; canWrite: boolean; onClose: () => void; onArchive: (r: Run, archive: boolean) => void; onDelete: (r: Run) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const archived = !!(at.run as Run & { archived_at?: string | null }).archived_at;
  useEffect(() => {
    el.current?.querySelector<HTMLElement>("a,button")?.focus();
    const away = (e: Event) => !el.current?.contains(e.target as Node) && onClose();
    const esc = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", esc);
    window.addEventListener("scroll", onClose, true);
    return () => (document.removeEventListener("mousedown", away), document.removeEventListener("keydown", esc), window.removeEventListener("scroll", onClose, true));
  }, [at.run.id]);
  const left = Math.max(8, Math.min(at.x - 200, window.innerWidth - 220));
  return (
    <div class="row-menu" role="menu" aria-label={`Actions for ${at.run.name}`} ref={el} style={{ left: `${left}px`, top: `${at.y}px` }} data-testid="row-menu">
      <a role="menuitem" href={runMetricsHref(at.run.id, "csv")} download={`${at.run.id}.csv`} onClick={onClose}>
        Download metrics (CSV)
      </a>
      <a role="menuitem" href={runMetricsHref(at.run.id, "jsonl")} download={`${at.run.id}.jsonl`} onClick={onClose}>
        Download metrics (JSONL)
      </a>
      {canWrite && (
        <>
          <button role="menuitem" class="ghost" onClick={() => (onClose(), onArchive(at.run, !archived))}>
            {archived ? "Unarchive" : "Archive"}
          </button>
          <button role="menuitem" class="ghost danger" onClick={() => (onClose(), onDelete(at.run))}>
            Delete
          </button>
        </>
      )}
    </div>
  );
}

// "Deleted N runs · Undo" for ten seconds after a delete.
export function RunsUndo({ count, onUndo, onGone }: { count: number; onUndo: () => void; onGone: () => void }) {
  useEffect(() => {
    const t = setTimeout(onGone, 10_000);
    return () => clearTimeout(t);
  }, [count]);
  return (
    <div class="runs-undo" role="status" data-testid="undo">
      Deleted {count} run{count === 1 ? "" : "s"}.
      <button class="small" onClick={onUndo}>
        Undo
      </button>
    </div>
  );
}
