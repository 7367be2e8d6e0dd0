import { useState } from "preact/hooks";
import { get } from "../lib/api";
import { projectRef } from "../lib/links";
import { bulkRuns, type BulkChange } from "../lib/run-actions";
import { download, runsCsv, runsJsonl } from "../lib/run-export";
import type { Project, Run } from "../lib/types";

type Mode = null | "tag" | "untag" | "move";

// What can be done to the selected runs: export for everyone; tag, untag,
// move, archive and delete for members who can write (viewers never see them).
export function RunsBulkBar({ selected, canWrite, project, onDone, onDeleted, onClear }: { selected: Run[]; canWrite: boolean; project: string; onDone: (what: string) => void; onDeleted: (ids: string[]) => void; onClear: () => void }) {
  const [mode, setMode] = useState<Mode>(null);
  const [value, setValue] = useState("");
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = selected.map((r) => r.id);
  const n = selected.length;
  const runsWord = `${n} run${n === 1 ? "" : "s"}`;
  const anyArchived = selected.some((r) => (r as Run & { archived_at?: string | null }).archived_at);

  const run = async (change: BulkChange, what: string) => {
    setBusy(true);
    setError(null);
    try {
      await bulkRuns(project, ids, change);
      setMode(null);
      setValue("");
      if (change.action === "delete") onDeleted(ids);
      else onDone(what);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const open = (m: Mode) => {
    setMode(mode === m ? null : m);
    setValue("");
    setError(null);
    if (m === "move" && !projects) get<{ projects: Project[] }>("/projects").then((r) => setProjects(r.projects), (e: Error) => setError(e.message));
  };
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");

  return (
    <div class="bulk-bar" role="toolbar" aria-label="Selected runs" data-testid="bulk-bar">
      <strong>{runsWord} selected</strong>
      <button class="ghost small" onClick={() => download(`runs-${stamp}.csv`, runsCsv(selected), "text/csv")}>
        Export CSV
      </button>
      <button class="ghost small" onClick={() => download(`runs-${stamp}.jsonl`, runsJsonl(selected), "application/x-ndjson")}>
        Export JSONL
      </button>
      {canWrite && (
        <>
          <button class="ghost small" aria-expanded={mode === "tag"} onClick={() => open("tag")}>
            Tag…
          </button>
          <button class="ghost small" aria-expanded={mode === "untag"} onClick={() => open("untag")}>
            Untag…
          </button>
          <button class="ghost small" aria-expanded={mode === "move"} onClick={() => open("move")}>
            Move to…
          </button>
          <button class="ghost small" disabled={busy} onClick={() => run({ action: anyArchived ? "unarchive" : "archive" }, `${anyArchived ? "Unarchived" : "Archived"} ${runsWord}`)}>
            {anyArchived ? "Unarchive" : "Archive"}
          </button>
          <button class="ghost small danger" disabled={busy} onClick={() => run({ action: "delete" }, "")}>
            Delete
          </button>
        </>
      )}
      <button class="ghost small" onClick={onClear}>
        Clear selection
      </button>
      {(mode === "tag" || mode === "untag") && (
        <form
          class="bulk-form"
          onSubmit={(e) => {
            e.preventDefault();
            const tags = value.split(/[\s,]+/).filter(Boolean);
            if (tags.length) run({ action: mode, tags }, `${mode === "tag" ? "Tagged" : "Untagged"} ${runsWord}`);
          }}
        >
          <input
            autoFocus
            value={value}
            aria-label={mode === "tag" ? "Tags to add" : "Tags to remove"}
            placeholder="tag, another"
            list={mode === "untag" ? "bulk-tags" : undefined}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
          <datalist id="bulk-tags">
            {[...new Set(selected.flatMap((r) => r.tags))].map((t) => (
              <option value={t} />
            ))}
          </datalist>
          <button class="primary small" disabled={busy || !value.trim()}>
            {mode === "tag" ? "Add tags" : "Remove tags"}
          </button>
        </form>
      )}
      {mode === "move" && (
        <form
          class="bulk-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (value) run({ action: "move", project: value }, `Moved ${runsWord}`);
          }}
        >
          <select aria-label="Move to project" value={value} onChange={(e) => setValue((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a project…</option>
            {(projects ?? [])
              .filter((p) => p.id !== project && p.name !== project)
              .map((p) => (
                <option value={p.id}>{projectRef(p) === p.id ? `${p.name} (${p.id})` : p.name}</option>
              ))}
          </select>
          <button class="primary small" disabled={busy || !value}>
            Move
          </button>
        </form>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
