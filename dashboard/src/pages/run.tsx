import { useEffect, useState } from "preact/hooks";
import { ChartGrid } from "../components/chart-grid";
import { Editable } from "../components/editable";
import { FilesTab } from "../components/files-tab";
import { LogViewer } from "../components/log-viewer";
import { PinButton, RetentionBadge, useRetention } from "../components/retention";
import { ParentLink } from "../components/run-family";
import { RunOverview } from "../components/run-overview";
import { ErrorBox, Loading, StatusBadge } from "../components/states";
import { api, get } from "../lib/api";
import { runColor } from "../lib/colors";
import { fmtAgo, fmtDate, fmtDuration } from "../lib/format";
import { parentOf, runUser } from "../lib/mlflow-tags";
import { TeamCrumbs } from "../components/team-crumbs";
import { useTitle } from "../lib/title";
import { setQuery, useLocation } from "../lib/router";
import { useSession } from "../lib/session";
import type { MetricInfo, Project, Run } from "../lib/types";
import { useAsync, useInterval } from "../lib/use-async";

const TABS = ["charts", "overview", "logs", "files"] as const;
type Tab = (typeof TABS)[number];
export const LIVE_POLL_MS = 3000;

export function RunPage({ runId }: { runId: string }) {
  const loc = useLocation();
  const tab = (TABS.includes(loc.query.get("tab") as Tab) ? loc.query.get("tab") : "charts") as Tab;
  const run = useAsync((s) => get<{ run: Run }>(`/runs/${runId}`, s).then((r) => r.run), [runId]);
  const metrics = useAsync((s) => get<{ metrics: MetricInfo[] }>(`/runs/${runId}/metrics`, s).then((r) => r.metrics), [runId]);
  // The project's name for the breadcrumb; the run holds only its id.
  const projectId = run.data?.project_id;
  const project = useAsync((s) => (projectId ? get<{ project: Project }>(`/projects/${projectId}`, s).then((r) => r.project) : Promise.resolve(undefined)), [projectId]);
  const [now, setNow] = useState(Date.now());
  const retention = useRetention(projectId);
  const canWrite = useSession()?.session.scopes.includes("write") ?? false;
  useTitle(run.data?.name, project.data?.name);
  // A deleted run is not followed live, even if its training never ended.
  const live = run.data?.status === "running" && !run.data.deleted_at;

  // Live: a running run's status, summary and metric ranges are polled; the
  // charts fetch only the steps past what they have drawn.
  useInterval(async () => {
    const [r, m] = await Promise.all([get<{ run: Run }>(`/runs/${runId}`), get<{ metrics: MetricInfo[] }>(`/runs/${runId}/metrics`)]).catch(() => []);
    if (r) run.set(r.run);
    if (m) metrics.set(m.metrics);
  }, live ? LIVE_POLL_MS : null);
  useInterval(() => setNow(Date.now()), live ? 1000 : null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest("input,textarea,select,[contenteditable]")) return;
      const i = "1234".indexOf(e.key);
      if (i >= 0) setQuery({ tab: TABS[i] === "charts" ? null : TABS[i]! });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (run.error) return <ErrorBox error={run.error} retry={run.reload} />;
  if (!run.data) return <Loading what="Loading run" />;
  const r = run.data;
  const patch = async (body: Partial<Pick<Run, "name" | "notes" | "tags">>) => run.set((await api<{ run: Run }>("PATCH", `/runs/${r.id}`, body)).run);
  const keys = (metrics.data ?? []).map((m) => m.key).sort();
  const maxSteps = new Map((metrics.data ?? []).map((m) => [m.key, m.max_step]));
  const beat = r.heartbeat_at ? now - Date.parse(r.heartbeat_at) : Infinity;
  const user = runUser(r);

  return (
    <section class="page run-page">
      <TeamCrumbs project={project.data ?? r.project_id} here={r.name} />
      {r.deleted_at && (
        <div class="notice warn" role="alert" data-testid="deleted-banner">
          <strong>Deleted</strong> {fmtDate(r.deleted_at)} (restorable through MLflow). It is left out of run lists; restore it with{" "}
          <code>mlflow.tracking.MlflowClient().restore_run("{r.id}")</code>.
        </div>
      )}
      <div class="page-head">
        <h1 class="run-name">
          <Editable value={r.name} label="run name" placeholder="name" onSave={(name) => patch({ name })} />
        </h1>
        <StatusBadge status={r.status} />
        {live && (
          <span class={`heartbeat ${beat > 60_000 ? "stale" : ""}`} title={r.heartbeat_at ?? ""} data-testid="heartbeat">
            <span class="pulse" aria-hidden="true" /> heartbeat {fmtAgo(r.heartbeat_at, now)}
          </span>
        )}
        <span class="muted">{fmtDuration(live ? now - Date.parse(r.created_at) : r.duration_ms)}</span>
        <span class="muted small">{r.id}</span>
        {canWrite ? (
          <PinButton runId={r.id} runName={r.name} pinned={!!r.pinned} onChange={(pinned) => (run.set({ ...r, pinned }), retention.reload())} />
        ) : r.pinned ? (
          <span class="badge">📌 pinned</span>
        ) : null}
        {!r.pinned && retention.deletes.has(r.id) && <RetentionBadge deletesAt={retention.deletes.get(r.id)!} />}
      </div>
      {(user || parentOf(r)) && (
        <div class="run-meta">
          {user && (
            <span class="muted" data-testid="run-by">
              by <strong>{user}</strong>
            </span>
          )}
          <ParentLink run={r} />
        </div>
      )}
      <div class="tabs" role="tablist">
        {TABS.map((t, i) => (
          <button role="tab" aria-selected={tab === t} class={tab === t ? "on" : ""} onClick={() => setQuery({ tab: t === "charts" ? null : t })} title={`Key ${i + 1}`}>
            {t[0]!.toUpperCase() + t.slice(1)}
            {t === "charts" && metrics.data ? <span class="count">{metrics.data.length}</span> : null}
          </button>
        ))}
      </div>
      {tab === "charts" &&
        (metrics.error ? (
          <ErrorBox error={metrics.error} retry={metrics.reload} />
        ) : !metrics.data ? (
          <Loading what="Loading metrics" />
        ) : (
          <ChartGrid keys={keys} runs={[{ id: r.id, name: r.name, color: runColor(r.id) }]} maxSteps={maxSteps} project={r.project_id} />
        ))}
      {tab === "overview" && <RunOverview run={r} metrics={metrics.data ?? []} patch={patch} />}
      {tab === "logs" && <LogViewer runId={r.id} live={live} />}
      {tab === "files" && <FilesTab runId={r.id} />}
    </section>
  );
}
