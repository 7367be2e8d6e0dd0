import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { useCan } from "../lib/can";

const enc = encodeURIComponent;
const LATEST = "latest"; // moves by itself to the newest version; never set or removed by hand

// A version's aliases; members and up point a new one at it (moving it from
// another version, as the API does) or remove one. Viewers see badges only.
export function AliasEditor({ project, name, version, aliases, onChange }: { project: string; name: string; version: number; aliases: string[]; onChange: () => void }) {
  const allowed = useCan("artifact.alias");
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ref = `${name}:v${version}`;
  const path = (alias: string) => `/projects/${enc(project)}/artifacts/${enc(name)}/aliases/${enc(alias)}`;
  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    try {
      await fn();
      setError(undefined);
      onChange();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <span class="alias-editor">
      {aliases.map((a) => (
        <span class="badge alias">
          <span data-testid="alias">{a}</span>
          {allowed && a !== LATEST && (
            <button class="x" aria-label={`Remove alias ${a} from ${ref}`} disabled={busy} onClick={() => run(() => api("DELETE", path(a)))}>
              ×
            </button>
          )}
        </span>
      ))}
      {allowed && (
        <input
          class="alias-input"
          placeholder="add alias ↵"
          aria-label={`Add alias to ${ref}`}
          value={draft}
          disabled={busy}
          maxLength={64}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            const a = draft.trim();
            if (e.key !== "Enter" || !a) return;
            e.preventDefault();
            setDraft("");
            void run(() => api("PUT", path(a), { version: `v${version}` }));
          }}
        />
      )}
      {error && (
        <span class="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
