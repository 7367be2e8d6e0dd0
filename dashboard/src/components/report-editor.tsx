import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailure, api } from "../lib/api";
import { fmtAgo } from "../lib/format";
import { BLOCK_LABELS, blockId, moveBlock, type Block, type Report } from "../lib/report-types";
import "../styles/reports.css";
import { BlockEditor } from "./block-editor";
import { BlockForm, type FormType } from "./report-forms";
import { ErrorBox } from "./states";

type Draft = { title: string; blocks: Block[] };
type Conflict = { version: number; current: Draft & { updated_by: string; updated_at: string } };
type Adding = { at: number; type: FormType; replace?: Block };

// The report editor: blocks in order, each with a drag handle, move up/down,
// edit and delete; a "+" between any two blocks inserts there. Saving sends
// base_version, so a stale save is a 409 the user resolves (reload or overwrite).
export function ReportEditor({ report, onSaved, onDone }: { report: Report; onSaved: (r: Report) => void; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>({ title: report.title, blocks: report.blocks });
  const [base, setBase] = useState(report.version);
  const [adding, setAdding] = useState<Adding>();
  const [conflict, setConflict] = useState<Conflict>();
  const [error, setError] = useState<Error>();
  const [saving, setSaving] = useState(false);
  const dirty = draft.title !== report.title || JSON.stringify(draft.blocks) !== JSON.stringify(report.blocks);
  // Leaving with unsaved text asks first: nothing typed is lost silently.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => dirty && e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);
  // Ctrl/Cmd+S saves, as in every editor.
  const saveRef = useRef<() => void>();
  saveRef.current = () => !saving && save();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && e.key === "s" && (e.preventDefault(), saveRef.current?.());
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
  const blocks = draft.blocks;
  const setBlocks = (b: Block[]) => setDraft((d) => ({ ...d, blocks: b }));
  const insert = (at: number, b: Block) => setBlocks([...blocks.slice(0, at), b, ...blocks.slice(at)]);

  // Drag and drop: the handle starts it; the block under the pointer shows
  // where it will land (before or after itself).
  const dragFrom = useRef<number | null>(null);
  const [drop, setDrop] = useState<number | null>(null);
  const endDrag = () => ((dragFrom.current = null), setDrop(null));
  // Where a pointer at clientY over block i would drop: before or after it.
  const dropAt = (e: DragEvent, i: number) => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return e.clientY < r.top + r.height / 2 ? i : i + 1;
  };
  const onDrop = (e: DragEvent, i: number) => {
    e.preventDefault();
    if (dragFrom.current !== null) setBlocks(moveBlock(blocks, dragFrom.current, dropAt(e, i)));
    endDrag();
  };
  // Keyboard reorder keeps focus on the button that was pressed.
  const move = (i: number, d: number, label: string) => {
    const id = blocks[i]!.id;
    setBlocks(moveBlock(blocks, i, d < 0 ? i - 1 : i + 2));
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-block-id="${id}"] button[aria-label="${label}"]:not(:disabled)`)?.focus());
  };

  async function save(baseVersion = base) {
    setSaving(true);
    setError(undefined);
    try {
      const r = await api<{ report: Report }>("PUT", `/reports/${report.id}`, { ...draft, base_version: baseVersion });
      setConflict(undefined);
      setBase(r.report.version);
      onSaved(r.report);
      onDone();
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409 && e.details?.current) setConflict({ version: e.details.current_version, current: e.details.current });
      else setError(e as Error);
    } finally {
      setSaving(false);
    }
  }

  const form = (a: Adding) => (
    <BlockForm
      type={a.type}
      project={report.project_id}
      initial={a.replace}
      onCancel={() => setAdding(undefined)}
      onDone={(b: Block) => (a.replace ? setBlocks(blocks.map((x) => (x.id === b.id ? b : x))) : insert(a.at, b), setAdding(undefined))}
    />
  );
  const inserter = (at: number) =>
    adding && !adding.replace && adding.at === at ? form(adding) : <Inserter at={at} last={at === blocks.length} onPick={(type) => (type === "markdown" ? insert(at, { type, id: blockId(), text: "" }) : setAdding({ at, type }))} />;

  return (
    <div class="report-editor" data-testid="report-editor">
      <div class="page-head editor-head">
        <input class="title-input" aria-label="Report title" value={draft.title} maxLength={200} onInput={(e) => setDraft({ ...draft, title: (e.target as HTMLInputElement).value })} />
        <div class="spacer" />
        <button class="ghost" onClick={() => (!dirty || confirm("Discard your unsaved changes?")) && onDone()}>
          Cancel
        </button>
        <button class="primary" onClick={() => save()} disabled={saving} title="Save (Ctrl+S)">
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
      {conflict && (
        <div class="state error" role="alert" data-testid="conflict">
          <h3>Someone else saved this report</h3>
          <p>
            Version {conflict.version} was saved {fmtAgo(conflict.current.updated_at)}. Your edits are still here.
          </p>
          <div class="row">
            <button onClick={() => (setDraft({ title: conflict.current.title, blocks: conflict.current.blocks }), setBase(conflict.version), setConflict(undefined))}>Reload their version (drop mine)</button>
            <button class="danger" onClick={() => save(conflict.version)}>
              Overwrite with mine
            </button>
          </div>
        </div>
      )}
      {blocks.length === 0 && <p class="muted">Add a first block: text, a chart, a runs table, a comparison or an artifact.</p>}
      {inserter(0)}
      {blocks.map((b, i) => (
        <Fragment key={b.id}>
          <div
            class={`report-block editing${drop === i ? " drop-before" : drop === i + 1 ? " drop-after" : ""}${drop !== null && dragFrom.current === i ? " dragging" : ""}`}
            data-testid="edit-block"
            data-type={b.type}
            data-block-id={b.id}
            onDragOver={(e) => {
              if (dragFrom.current === null) return;
              e.preventDefault();
              e.dataTransfer!.dropEffect = "move";
              setDrop(dropAt(e, i));
            }}
            onDrop={(e) => onDrop(e, i)}
          >
            <div class="block-tools">
              <span
                class="drag-handle"
                draggable
                role="img"
                aria-label="Drag to reorder"
                title="Drag to reorder"
                onDragStart={(e) => {
                  dragFrom.current = i;
                  e.dataTransfer!.effectAllowed = "move";
                  e.dataTransfer!.setData("text/plain", b.id);
                  const el = (e.currentTarget as HTMLElement).closest(".report-block");
                  if (el) e.dataTransfer!.setDragImage(el, 16, 16);
                }}
                onDragEnd={endDrag}
              >
                ⠿
              </span>
              <span class="block-kind">{BLOCK_LABELS[b.type]}</span>
              <div class="spacer" />
              {b.type !== "markdown" && (
                <button class="ghost small" onClick={() => setAdding({ at: i, type: b.type, replace: b })}>
                  Edit
                </button>
              )}
              <button class="ghost small" aria-label="Move up" title="Move up" disabled={i === 0} onClick={() => move(i, -1, "Move up")}>
                ↑
              </button>
              <button class="ghost small" aria-label="Move down" title="Move down" disabled={i === blocks.length - 1} onClick={() => move(i, 1, "Move down")}>
                ↓
              </button>
              <button class="ghost small danger" aria-label="Delete block" onClick={() => setBlocks(blocks.filter((x) => x.id !== b.id))}>
                Delete
              </button>
            </div>
            {adding?.replace?.id === b.id ? form(adding) : <BlockEditor block={b} onChange={(nb) => setBlocks(blocks.map((x) => (x.id === b.id ? nb : x)))} />}
          </div>
          {inserter(i + 1)}
        </Fragment>
      ))}
    </div>
  );
}

// "+" between blocks (and at the end): opens the block types to insert there.
function Inserter({ at, last, onPick }: { at: number; last: boolean; onPick: (t: Block["type"]) => void }) {
  const [opened, setOpen] = useState(false);
  const open = last || opened;
  return (
    <div class={`inserter${open ? " open" : ""}${last ? " last" : ""}`} data-testid="inserter" data-at={at}>
      {open ? (
        <div class="row insert-types" role="group" aria-label={`Insert a block at position ${at + 1}`}>
          {(Object.keys(BLOCK_LABELS) as Block["type"][]).map((t) => (
            <button class="ghost small" onClick={() => (onPick(t), setOpen(false))}>
              + {BLOCK_LABELS[t]}
            </button>
          ))}
          {!last && (
            <button class="ghost small" aria-label="Close" onClick={() => setOpen(false)}>
              ✕
            </button>
          )}
        </div>
      ) : (
        <button class="insert-plus" aria-label={`Insert a block at position ${at + 1}`} title="Insert a block here" onClick={() => setOpen(true)}>
          +
        </button>
      )}
    </div>
  );
}
