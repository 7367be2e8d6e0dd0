import { useState } from "preact/hooks";
import { api, get } from "../lib/api";
import { fmtAgo, fmtDate } from "../lib/format";
import type { Block, Report, ShareLink } from "../lib/report-types";
import { useAsync } from "../lib/use-async";
import { ErrorBox } from "./states";
import "../styles/share.css";

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
        {url && <EmbedPicker reportId={reportId} url={url} />}
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

type Panel = Extract<Block, { type: "chart" | "compare" }>;
const panelName = (b: Panel) => (b.type === "chart" && b.title) || `${b.type === "compare" ? "Compare: " : ""}${b.keys.join(", ") || `${b.runs.length} runs`}`;
const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

// "Embed a panel": one chart block of the report, through the link just
// created, as an <iframe> snippet for a wiki, a notebook or a blog.
function EmbedPicker({ reportId, url }: { reportId: string; url: string }) {
  const rep = useAsync((s) => get<{ report: Report }>(`/reports/${reportId}`, s), [reportId]);
  const panels = (rep.data?.report.blocks ?? []).filter((b): b is Panel => b.type === "chart" || b.type === "compare");
  const [picked, setPicked] = useState<string>();
  const [copied, setCopied] = useState(false);
  const panel = panels.find((b) => b.id === picked) ?? panels[0];
  if (!rep.data) return null;
  if (!panel) return <p class="muted small share-embed-pick">Add a chart to the report to embed one of its panels.</p>;
  const snippet = `<iframe src="${attr(`${url}/embed/${encodeURIComponent(panel.id)}`)}" title="${attr(panelName(panel))}" width="100%" height="380" style="border:0" loading="lazy"></iframe>`;
  return (
    <div class="share-embed-pick" data-testid="embed-pick">
      <h3>Embed a panel</h3>
      <div class="row">
        <label>
          Chart{" "}
          <select aria-label="Chart to embed" value={panel.id} onChange={(e) => (setPicked((e.target as HTMLSelectElement).value), setCopied(false))}>
            {panels.map((b) => (
              <option value={b.id}>{panelName(b)}</option>
            ))}
          </select>
        </label>
        <button onClick={() => navigator.clipboard?.writeText(snippet).then(() => setCopied(true))}>{copied ? "Copied" : "Copy snippet"}</button>
      </div>
      <textarea readOnly aria-label="Embed snippet" data-testid="embed-snippet" value={snippet} onFocus={(e) => (e.target as HTMLTextAreaElement).select()} />
      <p class="muted small">The panel reads through this link: revoking the link removes the embed too.</p>
    </div>
  );
}
