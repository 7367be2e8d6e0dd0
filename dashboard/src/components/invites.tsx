import { useState } from "preact/hooks";
import { api, get } from "../lib/api";
import { fmtDate } from "../lib/format";
import type { Invite, Session } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { SecretBox } from "../pages/auth";
import { ConfirmButton } from "./confirm";
import { ErrorBox, Loading } from "./states";

const EXPIRY = [
  { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
  { hours: 720, label: "30 days" },
];
const STATUS_CLASS: Record<string, string> = { pending: "status-running", accepted: "status-finished", revoked: "status-killed", expired: "" };

// Invite links: no mail is sent, the link is shown once to copy and pass on.
export function Invites({ session, onChange }: { session: Session; onChange: () => void }) {
  const admin = session.team.role === "owner" || session.team.role === "admin";
  const invites = useAsync((s) => (admin ? get<{ invites: Invite[] }>("/invites", s).then((r) => r.invites) : Promise.resolve([])), [session.team.id, admin]);
  const [link, setLink] = useState<{ url: string; role: string; email: string | null }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!admin) return <p class="muted">Only the team's owner and admins invite people. Ask one of them for an invite link.</p>;

  async function create(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const email = String(f.get("email") ?? "").trim();
    setError(undefined);
    setBusy(true);
    try {
      const res = await api("POST", "/invites", { role: f.get("role"), email: email || undefined, expires_in_hours: Number(f.get("expiry")) });
      // The server names the link; an older one sends only the token.
      const raw: string = res.url ?? `/invite/${res.token}`;
      setLink({ url: raw.startsWith("/") ? `${location.origin}${raw}` : raw, role: res.invite.role, email: res.invite.email });
      // Role and expiry stay as chosen for the next link; the email is per person.
      (form.elements.namedItem("email") as HTMLInputElement).value = "";
      invites.reload();
      onChange();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(i: Invite) {
    setError(undefined);
    try {
      await api("DELETE", `/invites/${i.id}`);
      invites.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <>
      <div class="section-head">
        <h2>Invites</h2>
      </div>
      <form class="inline-form" onSubmit={create} aria-label="Create an invite link">
        <label class="check">
          Role
          <select name="role" aria-label="Invite role">
            <option value="admin">admin</option>
            <option value="member" selected>
              member
            </option>
            <option value="viewer">viewer</option>
          </select>
        </label>
        <input name="email" type="email" placeholder="email (optional)" aria-label="Invite email (optional)" maxLength={254} />
        <label class="check">
          Expires in
          <select name="expiry" aria-label="Invite expires in">
            {EXPIRY.map((x) => (
              <option value={x.hours} selected={x.hours === 168}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit" disabled={busy}>
          Create invite link
        </button>
        {error && (
          <span class="form-error" role="alert">
            {error}
          </span>
        )}
      </form>
      {link && (
        <div class="notice" role="status" data-testid="invite-link">
          <p>
            Invite link for a <strong>{link.role}</strong>
            {link.email ? ` (meant for ${link.email})` : ""}. Copy it now: it is shown only once. Whoever opens it can join until it expires or you revoke it.
          </p>
          <SecretBox secret={link.url} />
          <button class="ghost" onClick={() => setLink(undefined)}>
            Done
          </button>
        </div>
      )}
      {invites.error ? (
        <ErrorBox error={invites.error} retry={invites.reload} />
      ) : !invites.data ? (
        <Loading what="Loading invites" />
      ) : invites.data.length === 0 ? (
        <p class="muted">No invites yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="grid" data-testid="invites">
            <thead>
              <tr>
                <th>Role</th>
                <th>For</th>
                <th>Status</th>
                <th class="hide-narrow">Created</th>
                <th class="hide-narrow">Expires</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invites.data.map((i) => (
                <tr data-invite={i.id}>
                  <td>{i.role}</td>
                  <td class="wrap">{i.email ?? <span class="muted">anyone with the link</span>}</td>
                  <td>
                    <span class={`badge ${STATUS_CLASS[i.status] ?? ""}`}>{i.status}</span>
                  </td>
                  <td class="muted hide-narrow">{fmtDate(i.created_at)}</td>
                  <td class="muted hide-narrow">{i.status === "accepted" ? `accepted ${fmtDate(i.accepted_at)}` : fmtDate(i.expires_at)}</td>
                  <td class="actions">
                    {i.status === "pending" && <ConfirmButton label="Revoke" name={`Revoke invite ${i.email ?? i.id}`} question="Revoke this link?" confirmLabel="Revoke" onConfirm={() => revoke(i)} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
