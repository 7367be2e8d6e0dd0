import { useState } from "preact/hooks";
import { Empty, ErrorBox, Loading } from "../components/states";
import { api, get } from "../lib/api";
import { fmtAgo } from "../lib/format";
import type { Report, ReportSummary } from "../lib/report-types";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { useAsync } from "../lib/use-async";
import { projectNameOf, reportHref } from "../lib/links";
import { TeamCrumbs } from "../components/team-crumbs";
import { useTitle } from "../lib/title";

// A project's reports, most recently saved first, and "New report".
export function ReportsPage({ project }: { project: string }) {
  const ctx = useSession();
  const canEdit = !!ctx && ctx.session.team.role !== "viewer"; // not before the session is known
  const list = useAsync((s) => get<{ reports: ReportSummary[] }>(`/projects/${encodeURIComponent(project)}/reports`, s), [project]);
  const [busy, setBusy] = useState(false);
  useTitle("Reports", projectNameOf(project));
  const [error, setError] = useState<Error>();
  async function create() {
    setBusy(true);
    try {
      const r = await api<{ report: Report }>("POST", `/projects/${encodeURIComponent(project)}/reports`, { title: "Untitled report", blocks: [] });
      navigate(reportHref(project, r.report.id, { edit: true }));
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  }
  return (
    <section class="page reports-page">
      <TeamCrumbs project={project} here="Reports" />
      <div class="page-head">
        <h1>Reports · {project}</h1>
        <div class="spacer" />
        {canEdit && (
          <button class="primary" onClick={create} disabled={busy}>
            New report
          </button>
        )}
      </div>
      {error && <ErrorBox error={error} />}
      {list.error ? (
        <ErrorBox error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading what="Loading reports" />
      ) : list.data.reports.length === 0 ? (
        <Empty title="No reports yet">
          <p>A report puts charts, tables and notes about runs on one page you can share.</p>
        </Empty>
      ) : (
        <ul class="report-list" data-testid="report-list">
          {list.data.reports.map((r) => (
            <li>
              <a href={reportHref(project, r.id)}>{r.title}</a> <span class="muted small">v{r.version} · saved {fmtAgo(r.updated_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
