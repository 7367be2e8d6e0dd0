import { useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components/states";
import { api, get } from "../lib/api";
import { canIn } from "../lib/can";
import { fmtAgo, fmtDate } from "../lib/format";
import { useSession } from "../lib/session";
import type { ApiKey, Scope, Session } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { SecretBox } from "./auth";

const SCOPES: Scope[] = ["read", "write", "admin"];

// Embedded in the settings frame, which already names the team.
export function KeysPage({ embedded = false }: { embedded?: boolean }) {
  const ctx = useSession();
  if (!ctx) return <Loading what="Loading keys" />;
  return <Keys session={ctx.session} embedded={embedded} />;
}

function Keys({ session, embedded }: { session: Session; embedded: boolean }) {
  const keys = useAsync((s) => get<{ api_keys: ApiKey[] }>("/api-keys", s).then((r) => r.api_keys), []);
  const [secret, setSecret] = useState<{ label: string; key: string }>();
  const [error, setError] = useState<string>();
  const mayCreate = canIn(session, "key.create");
  // Members revoke their own keys; admins and owners anyone's (as the server rules).
  const mayRevoke = (k: ApiKey) => canIn(session, "key.revoke.any") || (k.user_id === session.user.id && canIn(session, "key.revoke.own"));

  async function create(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const scopes = SCOPES.filter((s) => f.get(`scope-${s}`));
    setError(undefined);
    try {
      const res = await api("POST", "/api-keys", { label: String(f.get("label")), scopes });
      setSecret({ label: res.api_key.label, key: res.key });
      form.reset();
      keys.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function revoke(k: ApiKey) {
    if (!confirm(`Revoke "${k.label}"? Programs using it stop working within a minute.`)) return;
    try {
      await api("DELETE", `/api-keys/${k.id}`);
      keys.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section class={embedded ? "settings-body" : "page"}>
      {embedded ? (
        <div class="section-head">
          <h2>API keys</h2>
        </div>
      ) : (
        <div class="page-head">
          <h1>API keys</h1>
          <span class="muted">for team {session.team.name}</span>
        </div>
      )}
      {!mayCreate && (
        <div class="notice" role="note" data-testid="keys-readonly">
          You are a <strong>{session.team.role}</strong> in {session.team.name}: you can read this team's runs and the keys below, but creating or
          revoking API keys needs the member role. Ask a team admin to change your role if you need to log runs from code.
        </div>
      )}
      {mayCreate && (
        <form class="inline-form" onSubmit={create} aria-label="Create an API key">
          <input name="label" placeholder="label, e.g. training cluster" required maxLength={100} aria-label="Key label" />
          {SCOPES.map((s) => (
            <label class="check">
              <input type="checkbox" name={`scope-${s}`} defaultChecked={s !== "admin"} disabled={!session.scopes.includes(s)} /> {s}
            </label>
          ))}
          <button class="primary" type="submit">
            Create key
          </button>
          {error && <span class="form-error">{error}</span>}
        </form>
      )}
      {!mayCreate && error && <p class="form-error">{error}</p>}
      {secret && (
        <div class="notice" role="status">
          <p>
            <strong>{secret.label}</strong>: copy this secret now. It is shown only once; if you lose it, revoke the key and create another.
          </p>
          <SecretBox secret={secret.key} />
          <button class="ghost" onClick={() => setSecret(undefined)}>
            I stored it
          </button>
        </div>
      )}
      {keys.error ? (
        <ErrorBox error={keys.error} retry={keys.reload} />
      ) : !keys.data ? (
        <Loading what="Loading keys" />
      ) : keys.data.length === 0 ? (
        <Empty title="No API keys">
          <p>{mayCreate ? "Create a key above to log runs from your training code." : "Nobody in this team has made a key yet."}</p>
        </Empty>
      ) : (
        <table class="grid" data-testid="keys">
          <thead>
            <tr>
              <th>Label</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr class={k.revoked_at ? "revoked" : ""}>
                <td>{k.label}</td>
                <td>{k.scopes.join(", ")}</td>
                <td class="muted">{fmtDate(k.created_at)}</td>
                <td class="muted">{k.last_used_at ? fmtAgo(k.last_used_at) : "never"}</td>
                <td>{k.revoked_at ? <span class="badge status-killed">revoked</span> : k.expires_at ? `expires ${fmtDate(k.expires_at)}` : <span class="badge status-finished">active</span>}</td>
                <td>
                  {!k.revoked_at && mayRevoke(k) && (
                    <button class="ghost danger" onClick={() => revoke(k)} aria-label={`Revoke key ${k.label}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
