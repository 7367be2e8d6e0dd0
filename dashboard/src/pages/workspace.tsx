import { useEffect, useMemo, useState } from "preact/hooks";
import { ChartGrid } from "../components/chart-grid";
import { ErrorBox, Loading } from "../components/states";
import { get, qs } from "../lib/api";
import { useSavedWorkspace } from "../lib/chart-workspace";
import { runColor } from "../lib/colors";
import { projectHref } from "../lib/links";
import type { Project, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import "../styles/charts.css";

const DEFAULT_SHOWN = 10;
const PICKER_RUNS = 200;

// A project's chart workspace (W&B's workspace): every metric of the shown
// runs as panels grouped into sections by key prefix, one crosshair across
// all of them, a zoom per section, settings saved per member on the server.
export function WorkspacePage({ project }: { project: string }) {
  const info = useAsync((s) => get<{ project: Project }>(`/projects/${encodeURIComponent(project)}`, s).then((r) => r.project), [project]);
  const runs = useAsync(
    (s) => get<{ runs: Run[] }>(`/projects/${encodeURIComponent(project)}/runs${qs({ limit: PICKER_RUNS, order_by: "-created_at" })}`, s).then((r) => r.runs),
    [project],
  );
  const saved = useSavedWorkspace(project);
  const name = info.data?.name ?? project;
  useEffect(() => {
    document.title = `${name} · Workspace · Sightline`;
  }, [name]);

  const all = runs.data ?? [];
  const ws = saved.state;
  // Saved run ids that no longer exist are dropped; none saved: the most recent.
  const shownIds = useMemo(() => {
    const have = new Set(all.map((r) => r.id));
    return ws?.runs ? ws.runs.filter((id) => have.has(id)) : all.slice(0, DEFAULT_SHOWN).map((r) => r.id);
  }, [all, ws?.runs]);
  const shown = useMemo(() => {
    const byId = new Map(all.map((r) => [r.id, r]));
    return shownIds.map((id) => byId.get(id)!).filter(Boolean);
  }, [all, shownIds]);
  // The metric keys of the shown runs, from their summaries (one per logged key).
  const keys = useMemo(() => {
    const k = new Set<string>();
    for (const r of shown) for (const [key, v] of Object.entries(r.summary ?? {})) if (v && typeof v === "object" && "count" in v) k.add(key);
    return [...k].sort();
  }, [shown]);
  const chartRuns = useMemo(() => shown.map((r) => ({ id: r.id, name: r.name, color: runColor(r.id) })), [shown]);

  const err = info.error ?? runs.error ?? saved.error;
  if (err) return <ErrorBox error={err} retry={() => (info.reload(), runs.reload())} />;
  if (!runs.data || !ws) return <Loading what="Loading workspace" />;
  const setShown = (ids: string[]) => saved.update({ runs: ids });
  return (
    <section class="page workspace-page" data-project={project}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={projectHref(info.data ?? project)}>{name}</a> / <span>Workspace</span>
      </nav>
      <div class="page-head">
        <h1>Workspace</h1>
        <span class="muted" data-testid="shown-count">
          {shown.length} of {all.length} runs shown
        </span>
      </div>
      <div class="workspace-layout">
        <RunPicker runs={all} shown={shownIds} onChange={setShown} />
        <ChartGrid
          keys={keys}
          runs={chartRuns}
          project={info.data?.id ?? project}
          settings={[ws, (patch) => saved.update(patch)]}
          eager
          height={180}
        />
      </div>
    </section>
  );
}

// W&B's eye toggles: which runs the charts draw, with a search by name.
function RunPicker({ runs, shown, onChange }: { runs: Run[]; shown: string[]; onChange: (ids: string[]) => void }) {
  const [q, setQ] = useState("");
  const on = new Set(shown);
  const match = runs.filter((r) => r.name.toLowerCase().includes(q.toLowerCase()));
  const toggle = (id: string) => onChange(on.has(id) ? shown.filter((x) => x !== id) : [...shown, id]);
  return (
    <aside class="run-picker" aria-label="Runs shown in the charts" data-testid="run-picker">
      <div class="picker-head">
        <strong>Runs</strong>
        <span>
          <button class="ghost small" onClick={() => onChange(match.slice(0, 100).map((r) => r.id))} title="Show the runs that match the search (up to 100)">
            All
          </button>
          <button class="ghost small" onClick={() => onChange([])}>
            None
          </button>
        </span>
      </div>
      <input type="search" placeholder="Search runs…" aria-label="Search runs" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      <ul>
        {match.map((r) => (
          <li key={r.id} class={on.has(r.id) ? "" : "off"} data-run={r.id}>
            <button class="eye" aria-pressed={on.has(r.id)} aria-label={`${on.has(r.id) ? "Hide" : "Show"} ${r.name}`} onClick={() => toggle(r.id)}>
              <EyeIcon open={on.has(r.id)} />
            </button>
            <span class="dot" style={{ background: runColor(r.id) }} aria-hidden="true" />
            <span class="name" title={r.name}>
              {r.name}
            </span>
          </li>
        ))}
        {match.length === 0 && <li class="muted small">No run matches “{q}”.</li>}
      </ul>
    </aside>
  );
}

const EyeIcon = ({ open }: { open: boolean }) => (
  <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4">
    <path d="M1.5 8s2.4-4.5 6.5-4.5S14.5 8 14.5 8s-2.4 4.5-6.5 4.5S1.5 8 1.5 8z" />
    {open ? <circle cx="8" cy="8" r="2" fill="currentColor" /> : <path d="M2.5 13.5l11-11" />}
  </svg>
);
