import { useState } from "preact/hooks";
import { ErrorBox, Loading } from "../components/states";
import { api, ApiFailure, get } from "../lib/api";
import { fmtDate } from "../lib/format";
import { navigate } from "../lib/router";
import type { InviteLookup, Session } from "../lib/types";
import { useAsync } from "../lib/use-async";

// /invite/<token>: who invites you to what; log in or sign up, then accept
// and land in that team. Open to visitors who are not logged in.
export function InvitePage({ token, session, onSession }: { token: string; session: Session | null | undefined; onSession: () => Promise<void> }) {
  const info = useAsync((s) => get<InviteLookup>(`/invites/lookup?token=${encodeURIComponent(token)}`, s), [token]);
  const [mode, setMode] = useState<"signup" | "login">("signup");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function accept() {
    const { team } = await api<{ team: { id: string } }>("POST", "/invites/accept", { token });
    await api("POST", "/auth/switch-team", { team_id: team.id });
    await onSession();
    navigate("/projects", { replace: true });
  }

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 && !session ? "Wrong email or password." : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const email = String(f.get("email"));
    await run(async () => {
      if (mode === "signup") {
        // Sign-up with the invite joins the team directly (no team of one's own).
        await api("POST", "/signup", { email, password: f.get("password"), invite: token });
        await onSession();
        navigate("/projects", { replace: true });
        return;
      }
      // Log-in with the invite accepts it (and works for a user with no team left).
      await api("POST", "/login", { email, password: f.get("password"), invite: token });
      await onSession();
      navigate("/projects", { replace: true });
    });
  }

  if (info.error) {
    return (
      <div class="auth">
        <h1>Invite not found</h1>
        <p>This invite link is not valid. Ask whoever sent it for a new one.</p>
        {!(info.error instanceof ApiFailure && info.error.status === 404) && <ErrorBox error={info.error} retry={info.reload} />}
      </div>
    );
  }
  if (!info.data) return <Loading what="Looking up the invite" />;
  const inv = info.data;
  const open = inv.status === "pending";
  return (
    <div class="auth" data-testid="invite">
      <h1>Join {inv.team_name}</h1>
      <p>
        You are invited to <strong>{inv.team_name}</strong> as <span class="badge">{inv.role}</span>
        {inv.email ? (
          <>
            {" "}
            (meant for <strong>{inv.email}</strong>)
          </>
        ) : null}
        .
      </p>
      {!open ? (
        <p class="form-error" role="alert">
          This invite is {inv.status}
          {inv.status === "expired" ? ` (it expired ${fmtDate(inv.expires_at)})` : ""}. Ask the team for a new link.
        </p>
      ) : session ? (
        <>
          <p class="muted">
            Logged in as {session.user.email}. The invite expires {fmtDate(inv.expires_at)}.
          </p>
          <button class="primary" disabled={busy} onClick={() => run(accept)}>
            Join {inv.team_name}
          </button>
        </>
      ) : session === undefined ? (
        <Loading what="Checking your session" />
      ) : (
        <form onSubmit={submit} class="stack-form" aria-label={mode === "signup" ? "Sign up and join" : "Log in and join"}>
          <div class="seg" role="group" aria-label="Account">
            <button type="button" class={mode === "signup" ? "on" : ""} aria-pressed={mode === "signup"} onClick={() => setMode("signup")}>
              New account
            </button>
            <button type="button" class={mode === "login" ? "on" : ""} aria-pressed={mode === "login"} onClick={() => setMode("login")}>
              I have an account
            </button>
          </div>
          <label>
            Email
            <input name="email" type="email" autocomplete="email" required defaultValue={inv.email ?? ""} />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete={mode === "signup" ? "new-password" : "current-password"} minLength={mode === "signup" ? 10 : 1} required />
          </label>
          <button class="primary" type="submit" disabled={busy}>
            {busy ? "…" : mode === "signup" ? "Sign up and join" : "Log in and join"}
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
