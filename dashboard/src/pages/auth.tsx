import { useState } from "preact/hooks";
import { api, ApiFailure } from "../lib/api";
import { navigate } from "../lib/router";

// Sign-up returns the team's first API key once: show it before moving on.
export function AuthPage({ mode, onDone }: { mode: "login" | "signup"; onDone: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [firstKey, setFirstKey] = useState<string>();

  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      if (mode === "signup") {
        const res = await api("POST", "/signup", { email: f.get("email"), password: f.get("password"), team_name: f.get("team_name") });
        setFirstKey(res.api_key.key);
      } else {
        await api("POST", "/login", { email: f.get("email"), password: f.get("password") });
        await onDone();
      }
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? "Wrong email or password." : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (firstKey) {
    return (
      <div class="auth">
        <h1>Welcome to Sightline</h1>
        <p>Your team's first API key. Copy it now: it is shown only once.</p>
        <SecretBox secret={firstKey} />
        <p class="muted small">
          Use it from training code: <code>SIGHTLINE_API_KEY={firstKey.slice(0, 10)}…</code>
        </p>
        <button class="primary" onClick={() => onDone()}>
          Continue to projects
        </button>
      </div>
    );
  }
  return (
    <form class="auth" onSubmit={submit}>
      <h1>{mode === "signup" ? "Create your team" : "Log in to Sightline"}</h1>
      <label>
        Email
        <input name="email" type="email" autocomplete="email" required autofocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autocomplete={mode === "signup" ? "new-password" : "current-password"} minLength={mode === "signup" ? 10 : 1} required />
      </label>
      {mode === "signup" && (
        <label>
          Team name
          <input name="team_name" required maxLength={100} />
        </label>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button class="primary" type="submit" disabled={busy}>
        {busy ? "…" : mode === "signup" ? "Sign up" : "Log in"}
      </button>
      <p class="muted small">
        {mode === "signup" ? (
          <>
            Have an account? <a href="/login" onClick={(e) => (e.preventDefault(), navigate("/login"))}>Log in</a>
          </>
        ) : (
          <>
            New here? <a href="/signup">Create a team</a>
          </>
        )}
      </p>
    </form>
  );
}

export function SecretBox({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="secret">
      <code data-testid="secret">{secret}</code>
      <button
        onClick={async () => {
          await navigator.clipboard?.writeText(secret).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
