import { useEffect, useRef, useState } from "preact/hooks";
import { useCan } from "../lib/can";

// Text edited in place: click (or Enter on focus) to edit, Enter/Ctrl+Enter or
// blur saves, Escape cancels. Errors stay visible next to the field. A role
// that may not edit runs (a viewer) gets the text alone, no edit control.
export function Editable({ value, onSave, multiline, placeholder, label }: { value: string; onSave: (v: string) => Promise<void>; multiline?: boolean; placeholder: string; label: string }) {
  const allowed = useCan("run.edit");
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  useEffect(() => void (editing && input.current?.focus()), [editing]);
  useEffect(() => void (!editing && setDraft(value)), [value]);

  async function save() {
    if (draft === value) return setEditing(false);
    setSaving(true);
    try {
      await onSave(draft);
      setEditing(false);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") (setDraft(value), setEditing(false));
    if (e.key === "Enter" && (!multiline || e.ctrlKey || e.metaKey)) (e.preventDefault(), save());
  };
  if (!allowed) {
    return (
      <div class={`readonly-text ${multiline ? "multiline" : ""}`} data-testid={`readonly-${label.replace(/\s+/g, "-")}`}>
        {value || <span class="muted">No {label}.</span>}
      </div>
    );
  }
  if (!editing) {
    return (
      <div
        class={`editable ${multiline ? "multiline" : ""}`}
        tabIndex={0}
        role="button"
        aria-label={`Edit ${label}`}
        title="Click to edit"
        onClick={() => setEditing(true)}
        onKeyDown={(e) => e.key === "Enter" && (e.preventDefault(), setEditing(true))}
      >
        {value || <span class="muted">{placeholder}</span>}
      </div>
    );
  }
  const props = { ref: input, value: draft, disabled: saving, "aria-label": label, onInput: (e: Event) => setDraft((e.target as HTMLInputElement).value), onKeyDown: onKey, onBlur: save };
  return (
    <div class="editing">
      {multiline ? <textarea rows={4} {...props} /> : <input {...props} />}
      <span class="muted small">{multiline ? "Ctrl+Enter to save, Esc to cancel" : "Enter to save, Esc to cancel"}</span>
      {error && <span class="form-error">{error}</span>}
    </div>
  );
}
