import { useState } from "preact/hooks";
import { api } from "../lib/api";
import { afterTeamGone, useSession } from "../lib/session";
import type { Session } from "../lib/types";

// The team itself: its name and plan, and (for the owner) the danger zone.
export function TeamPage({ session }: { session: Session }) {
  const { refresh } = useSession()!;
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const owner = session.team.role === "owner";

  async function destroy(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api("DELETE", "/teams/current", { confirm: typed });
    } catch (err) {
      setBusy(false);
      return setError((err as Error).message);
    }
    await afterTeamGone(session, refresh);
  }

  return (
    <div class="settings-body">
      <div class="card">
        <dl class="kv">
          <dt>Name</dt>
          <dd>{session.team.name}</dd>
          <dt>Id</dt>
          <dd>
            <code>{session.team.id}</code>
          </dd>
          <dt>Plan</dt>
          <dd>
            {session.team.plan} <a href="/settings/usage">usage and limits</a>
          </dd>
        </dl>
      </div>
      <section class="card danger-zone" aria-labelledby="danger-title">
        <h3 id="danger-title">Danger zone</h3>
        {!owner ? (
          <p class="muted">Only the team's owner can delete the team.</p>
        ) : (
          <form onSubmit={destroy} aria-label="Delete this team">
            <p>
              Deleting <strong>{session.team.name}</strong> removes its projects, runs, metrics, logs, artifacts, keys and invites for every member. It cannot be undone.
            </p>
            <label class="stack">
              Type the team's name to confirm
              <input value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} autocomplete="off" spellcheck={false} aria-label="Type the team name to confirm deletion" />
            </label>
            <button class="danger" type="submit" disabled={busy || typed !== session.team.name}>
              Delete this team
            </button>
            {error && (
              <p class="form-error" role="alert">
                {error}
              </p>
            )}
          </form>
        )}
      </section>
    </div>
  );
}
