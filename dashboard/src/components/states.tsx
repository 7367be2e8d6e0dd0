import type { ComponentChildren } from "preact";
import { ApiFailure } from "../lib/api";
import { teamHref } from "../lib/links";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

// Errors say what happened and what to do next, with the request id to quote.
export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const f = error instanceof ApiFailure ? error : undefined;
  const hint =
    f?.status === 404
      ? "It may have been deleted, or it belongs to another team. Switch team or go back to the projects list."
      : f?.status === 403
        ? "Your role in this team does not allow this. Ask a team admin."
        : f?.status === 0
          ? "Check that the server is running and your network is up."
          : f && f.status >= 500
            ? "Something failed on our side. Try again; if it keeps failing, report the request id."
            : undefined;
  return (
    <div class="state error" role="alert">
      <h3>{f?.status === 404 ? "Not found" : "Something went wrong"}</h3>
      <p>{error.message}</p>
      {hint && <p class="muted">{hint}</p>}
      {f?.requestId && <p class="muted small">Request id: <code>{f.requestId}</code></p>}
      <p>
        {retry && <button onClick={retry}>Try again</button>} <a href={teamHref()}>Projects</a>
      </p>
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}
