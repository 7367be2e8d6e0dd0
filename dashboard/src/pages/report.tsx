import { useEffect, useState } from "preact/hooks";
import { BlockEditor, ChartPicker } from "../components/block-editor";
import { BlockView } from "../components/report-blocks";
import { ShareDialog } from "../components/share-dialog";
import { ErrorBox, Loading } from "../components/states";
import { ApiFailure, api, get } from "../lib/api";
import { fmtAgo } from "../lib/format";
import { blockId, type Block, type Report, type ReportVersion } from "../lib/report-types";
import { setQuery } from "../lib/router";
import { useSession } from "../lib/session";
import { useAsync } from "../lib/use-async";
import { reportsHref } from "../lib/links";

type Draft = { title: string; blocks: Block[] };
type Conflict = { version: number; current: Draft & { updated_by: string; updated_at: string } };

export function ReportPage({ reportId, editing }: { reportId: string; editing: boolean }) {
  const ctx = useSession();
  const canEdit = !!ctx && ctx.session.team.role !== "viewer";
  const rep = useAsync((s) => get<{ report: Report }>(`/reports/${reportId}`, s).then((r) => r.report), [reportId]);
  const [sharing, setSharing] = useState(false);
  const [versions, setVersions] = useState(false);
  if (rep.error) return <ErrorBox error={rep.error} retry={rep.reload} />;
  if (!rep.data) return <Loading what="Loading report" />;
  const r = rep.data;
  return (
    <section class="page report-page">
      <nav class="crumbs no-print">
        <a href={reportsHref(r.project_id)}>← Reports</a>
      </nav>
      {editing && canEdit ? (
        <Editor report={r} onSaved={(n) => rep.set(n)} onDone={() => setQuery({ edit: null })} />
      ) : (
        <>
          <div class="page-head no-print">
            <div class="spacer" />
            <span class="muted small">v{r.version} · saved {fmtAgo(r.updated_at)}</span>
            <button class="ghost" onClick={() => setVersions(!versions)}>
              Versions
            </button>
            <button class="ghost" onClick={() => print()}>
              Print
            </button>
            {canEdit && (
              <>
                <button class="ghost" onClick={() => setSharing(true)}>
                  Share
                </button>
                <button class="primary" onClick={() => setQuery({ edit: "1" })}>
                  Edit
                </button>
              </>
            )}
          </div>
          {versions && <Versions report={r} canEdit={canEdit} onRestored={(n) => rep.set(n)} />}
          <ReportReader title={r.title} blocks={r.blocks} />
          {sharing && <ShareDialog reportId={r.id} onClose={() => setSharing(false)} />}
        </>
      )}
    </section>
  );
}

// The read-only body: used by the report page and the share page.
export function ReportReader({ title, blocks }: Draft) {
  return (
    <article class="report" data-testid="report">
      <h1 class="report-title">{title}</h1>
      {blocks.length === 0 && <p class="muted">This report is empty.</p>}
      {blocks.map((b) => (
        <div class={`report-block block-${b.type}`} key={b.id}>
          <BlockView block={b} />
        </div>
      ))}
    </article>
  );
}

function Editor({ report, onSaved, onDone }: { report: Report; onSaved: (r: Report) => void; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>({ title: report.title, blocks: report.blocks });
  const [base, setBase] = useState(report.version);
  const [picking, setPicking] = useState(false);
  const [conflict, setConflict] = useState<Conflict>();
  const [error, setError] = useState<Error>();
  const [saving, setSaving] = useState(false);
  const dirty = draft.title !== report.title || JSON.stringify(draft.blocks) !== JSON.stringify(report.blocks);
  // Leaving with unsaved text asks first: nothing typed is lost silently.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => dirty && e.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [dirty]);
  const setBlocks = (blocks: Block[]) => setDraft({ ...draft, blocks });
  const move = (i: number, d: number) => {
    const b = [...draft.blocks];
    [b[i], b[i + d]] = [b[i + d]!, b[i]!];
    setBlocks(b);
  };
  async function save(baseVersion = base) {
    setSaving(true);
    setError(undefined);
    try {
      const r = await api<{ report: Report }>("PUT", `/reports/${report.id}`, { ...draft, base_version: baseVersion });
      setConflict(undefined);
      setBase(r.report.version);
      onSaved(r.report);
      onDone();
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409 && e.details?.current) setConflict({ version: e.details.current_version, current: e.details.current });
      else setError(e as Error);
    } finally {
      setSaving(false);
    }
  }
  return (
    <div class="report-editor" data-testid="report-editor">
      <div class="page-head">
        <input class="title-input" aria-label="Report title" value={draft.title} maxLength={200} onInput={(e) => setDraft({ ...draft, title: (e.target as HTMLInputElement).value })} />
        <div class="spacer" />
        <button class="ghost" onClick={() => (!dirty || confirm("Discard your unsaved changes?")) && onDone()}>
          Cancel
        </button>
        <button class="primary" onClick={() => save()} disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
      {conflict && (
        <div class="state error" role="alert" data-testid="conflict">
          <h3>Someone else saved this report</h3>
          <p>
            Version {conflict.version} was saved {fmtAgo(conflict.current.updated_at)}. Your edits are still here.
          </p>
          <div class="row">
            <button onClick={() => (setDraft({ title: conflict.current.title, blocks: conflict.current.blocks }), setBase(conflict.version), setConflict(undefined))}>Reload their version (drop mine)</button>
            <button class="danger" onClick={() => save(conflict.version)}>
              Overwrite with mine
            </button>
          </div>
        </div>
      )}
      {draft.blocks.map((b, i) => (
        <div class="report-block editing" key={b.id} data-testid="edit-block">
          <div class="block-tools">
            <span class="muted small">{b.type}</span>
            <div class="spacer" />
            <button class="ghost small" aria-label="Move up" disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button class="ghost small" aria-label="Move down" disabled={i === draft.blocks.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
            <button class="ghost small danger" aria-label="Delete block" onClick={() => setBlocks(draft.blocks.filter((x) => x.id !== b.id))}>
              Delete
            </button>
          </div>
          <BlockEditor block={b} onChange={(nb) => setBlocks(draft.blocks.map((x) => (x.id === b.id ? nb : x)))} />
        </div>
      ))}
      {picking ? (
        <ChartPicker project={report.project_id} onCancel={() => setPicking(false)} onAdd={(b) => (setBlocks([...draft.blocks, b]), setPicking(false))} />
      ) : (
        <div class="row">
          <button onClick={() => setBlocks([...draft.blocks, { type: "markdown", id: blockId(), text: "" }])}>+ Text</button>
          <button onClick={() => setPicking(true)}>+ Chart</button>
        </div>
      )}
    </div>
  );
}

function Versions({ report, canEdit, onRestored }: { report: Report; canEdit: boolean; onRestored: (r: Report) => void }) {
  const list = useAsync((s) => get<{ versions: ReportVersion[] }>(`/reports/${report.id}/versions`, s), [report.id, report.version]);
  const [error, setError] = useState<Error>();
  async function restore(v: number) {
    try {
      const r = await api<{ report: Report }>("POST", `/reports/${report.id}/versions/${v}/restore`, { base_version: report.version });
      onRestored(r.report);
    } catch (e) {
      setError(e as Error);
    }
  }
  return (
    <div class="card versions no-print" data-testid="versions">
      <h3>Versions</h3>
      {error && <ErrorBox error={error} />}
      {!list.data ? (
        <Loading what="Loading versions" />
      ) : (
        <ul>
          {list.data.versions.map((v) => (
            <li>
              v{v.version} · {v.title} · <span class="muted">{fmtAgo(v.saved_at)}</span>{" "}
              {canEdit && v.version !== report.version && (
                <button class="ghost small" onClick={() => restore(v.version)}>
                  Restore
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
