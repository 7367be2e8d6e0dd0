import { useState } from "preact/hooks";
import { ConfirmButton } from "../components/confirm";
import { Invites } from "../components/invites";
import { ErrorBox, Loading } from "../components/states";
import { api, get } from "../lib/api";
import { fmtDate } from "../lib/format";
import { afterTeamGone, useSession } from "../lib/session";
import type { Member, Role, Session } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { isAdmin } from "./settings";

const ASSIGNABLE: Role[] = ["admin", "member", "viewer"];

// Members and their roles; owners and admins also manage invites. Everyone
// else sees the same list without controls that the server would refuse.
export function MembersPage({ session }: { session: Session }) {
  const { refresh } = useSession()!;
  const members = useAsync((s) => get<{ members: Member[] }>("/members", s).then((r) => r.members), [session.team.id]);
  const [error, setError] = useState<string>();
  const admin = isAdmin(session);
  const owner = session.team.role === "owner";
  const me = session.user.id;

  // Reloads after failures too, so a refused role change snaps back to the server's.
  async function act(fn: () => Promise<unknown>) {
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    }
    members.reload();
  }
  const setRole = (m: Member, role: string) => act(async () => members.set((await api<{ members: Member[] }>("PATCH", `/members/${m.user_id}`, { role })).members));
  const remove = (m: Member) => act(() => api("DELETE", `/members/${m.user_id}`));
  const transfer = (m: Member) =>
    act(async () => {
      await api("POST", "/teams/transfer-ownership", { user_id: m.user_id });
      await refresh();
    });

  // Leaving ends this team's session: move to another team of yours, or log out.
  async function leave() {
    setError(undefined);
    try {
      await api("POST", "/members/leave");
    } catch (err) {
      return setError((err as Error).message);
    }
    await afterTeamGone(session, refresh);
  }

  return (
    <div class="settings-body">
      <div class="section-head">
        <h2>Members</h2>
        <div class="spacer" />
        {!owner && <ConfirmButton label="Leave team" name="Leave team" question={`Leave ${session.team.name}?`} confirmLabel="Leave" onConfirm={leave} />}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {members.error ? (
        <ErrorBox error={members.error} retry={members.reload} />
      ) : !members.data ? (
        <Loading what="Loading members" />
      ) : (
        <div class="table-scroll">
          <table class="grid" data-testid="members">
            <thead>
              <tr>
                <th>Member</th>
                <th>Role</th>
                <th class="hide-narrow">Joined</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => {
                const editable = admin && m.role !== "owner" && m.user_id !== me;
                return (
                  <tr data-member={m.email}>
                    <td class="wrap">
                      {m.name ? <strong>{m.name} </strong> : null}
                      <span>{m.email}</span>
                      {m.user_id === me && <span class="muted"> (you)</span>}
                    </td>
                    <td>
                      {editable ? (
                        <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => setRole(m, (e.target as HTMLSelectElement).value)}>
                          {ASSIGNABLE.map((r) => (
                            <option value={r}>{r}</option>
                          ))}
                        </select>
                      ) : (
                        <span class="badge" data-testid="role">
                          {m.role}
                        </span>
                      )}
                    </td>
                    <td class="muted hide-narrow">{fmtDate(m.joined_at)}</td>
                    <td class="actions">
                      {owner && m.user_id !== me && (
                        <ConfirmButton
                          class="ghost"
                          label="Make owner"
                          name={`Transfer ownership to ${m.email}`}
                          question={`Make ${m.email} the owner? You become an admin.`}
                          confirmLabel="Transfer"
                          onConfirm={() => transfer(m)}
                        />
                      )}
                      {editable && <ConfirmButton label="Remove" name={`Remove ${m.email}`} question={`Remove ${m.email}?`} confirmLabel="Remove" onConfirm={() => remove(m)} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {owner && <p class="muted small">A team has exactly one owner. To leave, first make someone else the owner.</p>}
      <Invites session={session} onChange={members.reload} />
    </div>
  );
}
