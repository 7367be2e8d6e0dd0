import { useState } from "preact/hooks";
import { api, get } from "../lib/api";
import { fmtAgo, fmtDate } from "../lib/format";
import type { ShareLink } from "../lib/report-types";
import { useAsync } from "../lib/use-async";
import { ErrorBox } from "./states";

// Create a read-only link (its URL is shown once), list the links, revoke.
export function ShareDialog({ reportId, onClose }: { reportId: string; onClose: () => void }) {
  const links = useAsync((s) => get<{ links: ShareLink[] }>(`/reports/${reportId}/share-links`, s), [reportId]);
  const [days, setDays] = useState(30);
  const [frozen, setFrozen] = useState(false);
  const [url, setUrl] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<Error>();
  async function create(e: Event) {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api<{ url: string }>("POST", `/reports/${reportId}/share-links`, { expires_in_days: days, frozen });
      setUrl(r.url);
      setCopied(false);
      links.reload();
    } catch (err) {
      setError(err as Error);
    }
  }
  async function revoke(id: string) {
    try {
      await api("DELETE", `/share-links/${id}`);
      links.reload();
    } catch (err) {
      setError(err as Error);
    }
  }
  return (
    <div class="modal-back" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal card" role="dialog" aria-modal="true" aria-label="Share report" data-testid="share-dialog">
        <h2>Share this report</h2>
        <p class="muted small">Anyone with the link can read the report and its charts, and nothing else, until it expires or you revoke it.</p>
        <form class="row" onSubmit={create}>
          <label>
            Expires in{" "}
            <input type="number" min={1} max={3650} value={days} aria-label="Expiry in days" onInput={(e) => setDays(Number((e.target as HTMLInputElement).value))} style={{ width: "5em" }} /> days
          </label>
          <label class="check" title="Readers see this version, not later edits">
            <input type="checkbox" checked={frozen} onChange={(e) => setFrozen((e.target as HTMLInputElement).checked)} /> Freeze this version
          </label>
          <button class="primary" type="submit">
            Create link
          </button>
        </form>
        {error && <ErrorBox error={error} />}
        {url && (
          <div class="share-url">
            <input readOnly value={url} aria-label="Share link" data-testid="share-url" onFocus={(e) => (e.target as HTMLInputElement).select()} />
            <button onClick={() => navigator.clipboard?.writeText(url).then(() => setCopied(true))}>{copied ? "Copied" : "Copy"}</button>
            <p class="muted small">Copy it now: the link is shown only once.</p>
          </div>
        )}
        <h3>Links</h3>
        {!links.data ? (
          <p class="muted">Loading…</p>
        ) : links.data.links.length === 0 ? (
          <p class="muted">No links yet.</p>
        ) : (
          <table class="report-table">
            <thead>
              <tr>
                <th>Created</th>
                <th>Expires</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {links.data.links.map((l) => (
                <tr>
                  <td>
                    {fmtAgo(l.created_at)}
                    {l.frozen ? ` · frozen v${l.frozen_version}` : ""}
                  </td>
                  <td>{fmtDate(l.expires_at)}</td>
                  <td>{fmtAgo(l.last_used_at)}</td>
                  <td>{l.revoked_at ? <span class="muted">revoked</span> : <button class="ghost small danger" onClick={() => revoke(l.id)}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div class="row">
          <div class="spacer" />
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
