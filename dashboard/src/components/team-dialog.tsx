import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Team } from "../lib/types";
import "../styles/teams.css";

const MAX_NAME = 100;

// "New team": a modal <dialog> (focus stays inside, Escape closes it) with a
// labelled name field, a validation message under it, Create and Cancel.
export function NewTeamDialog({ onCreated, onClose }: { onCreated: (team: Team) => Promise<void> | void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    const closed = () => onClose();
    d.addEventListener("close", closed);
    return () => d.removeEventListener("close", closed);
  }, []);

  const problem = (v: string) => (!v.trim() ? "Give the team a name." : v.trim().length > MAX_NAME ? `At most ${MAX_NAME} characters.` : undefined);

  async function submit(e: Event) {
    e.preventDefault();
    const p = problem(name);
    setError(p);
    if (p) return;
    setBusy(true);
    try {
      const { team } = await api<{ team: Team }>("POST", "/teams", { name: name.trim() });
      await onCreated(team);
      ref.current?.close();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} class="team-dialog card" aria-labelledby="new-team-title" data-testid="team-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id="new-team-title">New team</h2>
        <p class="muted small">A team has its own projects, members, keys and plan. You will be its owner.</p>
        <label for="new-team-name">Team name</label>
        <input
          id="new-team-name"
          name="name"
          value={name}
          maxLength={MAX_NAME + 20}
          autoFocus
          autoComplete="off"
          placeholder="e.g. Vision research"
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "new-team-error" : undefined}
          onInput={(e) => {
            const v = (e.target as HTMLInputElement).value;
            setName(v);
            if (error) setError(problem(v));
          }}
        />
        <p id="new-team-error" class="form-error small" role="alert">
          {error ?? ""}
        </p>
        <div class="team-dialog-actions">
          <button type="button" class="ghost" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Creating…" : "Create"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
