import { useState } from "preact/hooks";
import { BlockView, ReportContext } from "../components/report-blocks";
import { ReportEditor } from "../components/report-editor";
import { ShareDialog } from "../components/share-dialog";
import { ErrorBox, Loading } from "../components/states";
import { api, get } from "../lib/api";
import { fmtAgo } from "../lib/format";
import type { Block, Report, ReportVersion } from "../lib/report-types";
import { setQuery } from "../lib/router";
import { useSession } from "../lib/session";
import { useAsync } from "../lib/use-async";
import { reportsHref } from "../lib/links";
import { TeamCrumbs } from "../components/team-crumbs";
import { useTitle } from "../lib/title";

export function ReportPage({ reportId, editing }: { reportId: string; editing: boolean }) {
  const ctx = useSession();
  const canEdit = !!ctx && ctx.session.team.role !== "viewer";
  const rep = useAsync((s) => get<{ report: Report }>(`/reports/${reportId}`, s).then((r) => r.report), [reportId]);
  const [sharing, setSharing] = useState(false);
  const [versions, setVersions] = useState(false);
  useTitle(rep.data?.title, "Report");
  if (rep.error) return <ErrorBox error={rep.error} retry={rep.reload} />;
  if (!rep.data) return <Loading what="Loading report" />;
  const r = rep.data;
  return (
    <section class="page report-page">
      <TeamCrumbs class="no-print" project={r.project_id} section={{ href: reportsHref(r.project_id), label: "Reports" }} here={r.title} />
      {editing && canEdit ? (
        <ReportEditor report={r} onSaved={(n) => rep.set(n)} onDone={() => setQuery({ edit: null })} />
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
          <ReportReader title={r.title} blocks={r.blocks} project={r.project_id} canAdd={canEdit} />
          {sharing && <ShareDialog reportId={r.id} onClose={() => setSharing(false)} />}
        </>
      )}
    </section>
  );
}

// The read-only body: used by the report page and the share page. With a
// project and canAdd (a member's own reader), chart blocks offer "Add to report".
export function ReportReader({ title, blocks, project, canAdd }: { title: string; blocks: Block[]; project?: string; canAdd?: boolean }) {
  return (
    <ReportContext.Provider value={{ project, canAdd }}>
      <article class="report" data-testid="report">
        <h1 class="report-title">{title}</h1>
        {blocks.length === 0 && <p class="muted">This report is empty.</p>}
        {blocks.map((b) => (
          <div class={`report-block block-${b.type}`} key={b.id} data-block-id={b.id}>
            <BlockView block={b} />
          </div>
        ))}
      </article>
    </ReportContext.Provider>
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
