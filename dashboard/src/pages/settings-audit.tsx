import { useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components/states";
import { get, qs } from "../lib/api";
import { fmtDate } from "../lib/format";
import { setQuery, useLocation } from "../lib/router";
import type { AuditEvent, Member, Session } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { isAdmin } from "./settings";

const PAGE = 50;
const ACTIONS = ["invite.*", "member.*", "team.*", "plan.*", "api_key.*", "retention.*", "run.*", "project.*"];

// The team's audit log, newest first; filters live in the URL so a view can
// be shared, and paging walks the server's cursors (kept to go back).
export function AuditPage({ session }: { session: Session }) {
  if (!isAdmin(session)) return <p class="muted">The audit log is readable by the team's owner and admins.</p>;
  return <Audit teamId={session.team.id} />;
}

function Audit({ teamId }: { teamId: string }) {
  const loc = useLocation();
  const f = { action: loc.query.get("action") ?? "", actor: loc.query.get("actor") ?? "", since: loc.query.get("since") ?? "", until: loc.query.get("until") ?? "" };
  const [cursors, setCursors] = useState<string[]>([]);
  // The API filters by user or key id; people pick a member by email.
  const members = useAsync((s) => get<{ members: Member[] }>("/members", s).then((r) => r.members, () => [] as Member[]), [teamId]);
  const cursor = cursors[cursors.length - 1];
  const key = JSON.stringify(f);
  const page = useAsync(
    (s) =>
      get<{ events: AuditEvent[]; next_cursor: string | null }>(
        `/audit${qs({
          action: f.action,
          actor: f.actor,
          // Dates are whole UTC days: `until` includes the day it names.
          since: f.since ? `${f.since}T00:00:00Z` : "",
          until: f.until ? new Date(Date.parse(`${f.until}T00:00:00Z`) + 86_400_000).toISOString() : "",
          limit: PAGE,
          cursor,
        })}`,
        s,
      ),
    [teamId, key, cursor],
  );

  function apply(e: Event) {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    setCursors([]);
    setQuery({ action: actionFilter(String(d.get("action") ?? "")), actor: String(d.get("actor") ?? "").trim(), since: String(d.get("since") ?? ""), until: String(d.get("until") ?? "") });
  }

  return (
    <div class="settings-body">
      <form class="inline-form" onSubmit={apply} aria-label="Filter the audit log" key={key}>
        <input name="action" list="audit-actions" placeholder="action, e.g. member.*" defaultValue={f.action} aria-label="Action starts with" />
        <datalist id="audit-actions">
          {ACTIONS.map((a) => (
            <option value={a} />
          ))}
        </datalist>
        <select name="actor" class="actor-filter" aria-label="Actor" value={f.actor} onChange={(e) => (setCursors([]), setQuery({ actor: (e.target as HTMLSelectElement).value }))}>
          <option value="">anyone</option>
          {(members.data ?? []).map((m) => (
            <option value={m.user_id}>{m.email}</option>
          ))}
          {f.actor && !(members.data ?? []).some((m) => m.user_id === f.actor) && <option value={f.actor}>{f.actor}</option>}
        </select>
        <label class="check">
          From
          <input name="since" type="date" defaultValue={f.since} aria-label="From date" />
        </label>
        <label class="check">
          To
          <input name="until" type="date" defaultValue={f.until} aria-label="To date" />
        </label>
        <button type="submit">Filter</button>
        {(f.action || f.actor || f.since || f.until) && (
          <button type="button" class="ghost" onClick={() => (setCursors([]), setQuery({ action: null, actor: null, since: null, until: null }))}>
            Clear
          </button>
        )}
      </form>
      {page.error ? (
        <ErrorBox error={page.error} retry={page.reload} />
      ) : !page.data ? (
        <Loading what="Loading the audit log" />
      ) : page.data.events.length === 0 ? (
        <Empty title="No events">{f.action || f.actor || f.since || f.until ? <p>Nothing matches these filters.</p> : <p>Changes to members, keys, invites and the plan show up here.</p>}</Empty>
      ) : (
        <div class="table-scroll">
          <table class="grid compact" data-testid="audit">
            <thead>
              <tr>
                <th>When</th>
                <th>Action</th>
                <th>Who</th>
                <th>Resource</th>
                <th class="hide-narrow">From</th>
                <th class="hide-narrow">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.data.events.map((e) => (
                <tr data-action={e.action}>
                  <td class="muted" title={e.at}>
                    {fmtDate(e.at)}
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{actorText(e.actor)}</td>
                  <td class="wrap">
                    {e.resource_type}
                    {e.resource_id ? <span class="muted small"> {resourceName(e, members.data)}</span> : null}
                  </td>
                  <td class="muted hide-narrow">{e.address ?? ""}</td>
                  <td class="muted small wrap hide-narrow">{e.details && Object.keys(e.details).length ? JSON.stringify(e.details) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Newer
        </button>
        <span class="muted small">page {cursors.length + 1}</span>
        <button disabled={!page.data?.next_cursor} onClick={() => page.data?.next_cursor && setCursors([...cursors, page.data.next_cursor])}>
          Older →
        </button>
      </div>
    </div>
  );
}

// "member" or "member." means every member.* action; a full name stays exact.
export function actionFilter(raw: string) {
  const a = raw.trim();
  if (!a || a.endsWith("*")) return a;
  if (a.endsWith(".")) return `${a}*`;
  return a.includes(".") ? a : `${a}.*`;
}

// A member's id reads better as their email, when they are still a member.
function resourceName(e: AuditEvent, members: Member[] | undefined) {
  if (e.resource_type !== "member" && e.resource_type !== "user") return e.resource_id;
  return members?.find((m) => m.user_id === e.resource_id)?.email ?? e.resource_id;
}

function actorText(a: AuditEvent["actor"]) {
  if (a.kind === "api_key") return `key ${a.key_id ?? ""}${a.email ? ` (${a.email})` : ""}`;
  if (a.kind === "user") return a.email ?? a.user_id ?? "user";
  return a.kind;
}
