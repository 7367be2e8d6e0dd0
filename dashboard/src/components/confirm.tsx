import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

// A destructive button that asks once, inline (no window.confirm: it blocks
// the page, reads badly on phones and is skipped by screen readers' flow).
export function ConfirmButton({ label, question, confirmLabel, onConfirm, class: cls = "ghost danger", disabled, name }: { label: ComponentChildren; name?: string; question: string; confirmLabel: string; onConfirm: () => Promise<void> | void; class?: string; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button class={cls} disabled={disabled} onClick={() => setAsking(true)} aria-label={name}>
        {label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span class="small">{question}</span>
      <button
        class="danger small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button class="ghost small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
