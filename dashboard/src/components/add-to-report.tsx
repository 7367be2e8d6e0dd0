import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailure, api, get } from "../lib/api";
import { reportHref } from "../lib/links";
import { blockId, type ChartBlock, type Report, type ReportSummary } from "../lib/report-types";
import { useSession } from "../lib/session";
import { useAsync } from "../lib/use-async";
import "../styles/reports.css";

// "Add to report" from any chart (run page, compare page, project workspace):
// picks a report of the project (or a new one) and appends a chart block with
// this chart's runs, keys, x axis, zoomed range, smoothing and log scale.
// Contract for chart owners: render <AddToReport .../> in each chart's toolbar.
export type AddToReportProps = {
  project: string; // project id or name
  chart: Omit<ChartBlock, "type" | "id">;
};

// Appends with the version it read (base_version); if someone saved in
// between (409), reads the report again and retries once.
async function append(reportId: string, block: ChartBlock): Promise<Report> {
  let report = (await get<{ report: Report }>(`/reports/${reportId}`)).report;
  for (let attempt = 0; ; attempt++) {
    try {
      return (await api<{ report: Report }>("PUT", `/reports/${reportId}`, { title: report.title, blocks: [...report.blocks, block], base_version: report.version })).report;
    } catch (e) {
      if (attempt > 0 || !(e instanceof ApiFailure && e.status === 409)) throw e;
      report = (await get<{ report: Report }>(`/reports/${reportId}`)).report;
    }
  }
}

export function AddToReport({ project, chart }: AddToReportProps) {
  const ctx = useSession();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const key = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const click = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    addEventListener("keydown", key);
    addEventListener("mousedown", click);
    return () => (removeEventListener("keydown", key), removeEventListener("mousedown", click));
  }, [open]);
  // Viewers and share-link visitors read; they add nothing.
  if (!ctx || ctx.session.team.role === "viewer") return null;
  return (
    <div class="add-to-report" data-testid="add-to-report" ref={box}>
      <button class="ghost small" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        Add to report
      </button>
      {open && <Menu project={project} chart={chart} />}
    </div>
  );
}

function Menu({ project, chart }: AddToReportProps) {
  const list = useAsync((s) => get<{ reports: ReportSummary[] }>(`/projects/${encodeURIComponent(project)}/reports`, s).then((r) => r.reports), [project]);
  const [state, setState] = useState<{ busy?: boolean; done?: Report; error?: Error }>({});
  async function add(reportId: string | null) {
    setState({ busy: true });
    const block: ChartBlock = { type: "chart", id: blockId(), ...chart };
    if (!block.range) delete block.range;
    try {
      const done = reportId
        ? await append(reportId, block)
        : (await api<{ report: Report }>("POST", `/projects/${encodeURIComponent(project)}/reports`, { title: (chart.title || chart.keys.join(", ")).slice(0, 200), blocks: [block] })).report;
      setState({ done });
    } catch (e) {
      setState({ error: e as Error });
    }
  }
  return (
    <div class="atr-menu" role="menu" aria-label="Add this chart to a report" data-testid="add-to-report-menu">
      {state.done ? (
        <p class="atr-done" role="status">
          Added to <a href={reportHref(project, state.done.id)}>{state.done.title}</a> (v{state.done.version}).{" "}
          <a href={reportHref(project, state.done.id)}>Open report →</a>
        </p>
      ) : state.busy ? (
        <p class="muted" role="status">
          Adding…
        </p>
      ) : (
        <>
          {state.error && <p class="form-error">{state.error.message}</p>}
          {list.error ? (
            <p class="form-error">{list.error.message}</p>
          ) : !list.data ? (
            <p class="muted">Loading reports…</p>
          ) : (
            list.data.map((r) => (
              <button role="menuitem" class="ghost" onClick={() => add(r.id)}>
                {r.title}
              </button>
            ))
          )}
          <button role="menuitem" class="ghost atr-new" onClick={() => add(null)}>
            + New report
          </button>
        </>
      )}
    </div>
  );
}
