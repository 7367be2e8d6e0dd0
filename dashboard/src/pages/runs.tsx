import { TeamCrumbs } from "../components/team-crumbs";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ColumnPicker } from "../components/column-picker";
import { useRetention } from "../components/retention";
import { RunsBulkBar } from "../components/runs-bulk-bar";
import { FilterIssues, RunsFilterBox } from "../components/runs-filter-box";
import { RunsPlots } from "../components/runs-plots";
import { RunsRowMenu, RunsUndo, type RowMenuAt } from "../components/runs-row-menu";
import { RunsTable, type Row } from "../components/runs-table";
import { Empty, ErrorBox, Loading } from "../components/states";
import { get } from "../lib/api";
import { useCan } from "../lib/can";
import { parseFilter, STATUSES } from "../lib/filter";
import { configAt, fmtValue } from "../lib/format";
import { artifactsHref, compareHref, projectHref, reportsHref, workspaceHref } from "../lib/links";
import { bulkRuns } from "../lib/run-actions";
import { navigate, setQuery, useLocation } from "../lib/router";
import type { Project, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { SetupSnippet } from "../components/setup-snippet";
import { useKnownKeys } from "../lib/use-known-keys";
import { useRuns } from "../lib/use-runs";
import "../styles/runs.css";

export const COMPARE_MAX = 50;

export function RunsPage({ project }: { project: string }) {
  const loc = useLocation();
  const text = loc.query.get("q") ?? "";
  const search = loc.query.get("name") ?? "";
  const [draft, setDraft] = useState(text);
  const [nameDraft, setNameDraft] = useState(search);
  useEffect(() => setDraft(text), [text]);
  const statusChips = (loc.query.get("status") ?? "").split(",").filter(Boolean);
  const orderBy = loc.query.get("sort") ?? "-created_at";
  const group = loc.query.get("group") ?? "";
  const showArchived = loc.query.get("archived") === "1";
  const colsKey = `sl-cols:${project}`;
  const [cols, setColsState] = useState<string[] | null>(() => JSON.parse(localStorage.getItem(colsKey) ?? "null"));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [tick, setTick] = useState(0);
  const [plots, setPlots] = useState(false);
  const [brushed, setBrushed] = useState<Set<string> | null>(null);
  const [menu, setMenu] = useState<RowMenuAt | null>(null);
  const [undo, setUndo] = useState<string[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const filterBox = useRef<HTMLInputElement>(null);
  // Viewers read; write controls are for roles (and scopes) that can change runs.
  const canWrite = useCan("run.edit");

  const [loaded, setLoaded] = useState<Run[]>([]);
  const known = useKnownKeys(project, loaded);
  const parsed = useMemo(() => parseFilter(text, known), [text, known]);
  const q = useMemo(
    () => ({ ...parsed, status: [...new Set([...parsed.status, ...statusChips])], filter: search ? [...parsed.filter, `name~${search}`] : parsed.filter }),
    [JSON.stringify([parsed.status, parsed.tag, parsed.filter]), statusChips.join(), search],
  );
  const state = useRuns(project, q, orderBy, tick, showArchived ? "include" : "exclude");
  const runs = state?.runs ?? [];
  useEffect(() => void (state && setLoaded(state.runs)), [state?.runs]);
  // Projects whose names are not URL-safe are opened by id: show the name.
  const byId = project.startsWith("prj_");
  const info = useAsync((s) => (byId ? get<{ project: Project }>(`/projects/${project}`, s).then((r) => r.project.name) : Promise.resolve(project)), [project]);
  const title = info.data ?? (byId ? "" : project);
  // For write calls: the id once any run has been seen, else what the URL names.
  const projectId = byId ? project : (runs[0]?.project_id ?? project);
  useEffect(() => {
    if (title) document.title = `${title} · Sightline`;
  }, [title]);

  const { cKeys, mKeys } = known;
  // Until the user picks, show the first few config keys and metrics.
  const columns = cols ?? [...cKeys.slice(0, 4).map((k) => `config.${k}`), ...mKeys.slice(0, 4).map((k) => `summary.${k}.last`)];
  const setCols = (c: string[]) => (localStorage.setItem(colsKey, JSON.stringify(c)), setColsState(c));

  // Retention: which runs go within 7 days; pins made here show at once.
  const retention = useRetention(byId ? project : runs[0]?.project_id);
  const [pins, setPins] = useState<Map<string, boolean>>(new Map());
  const marks = {
    deletes: retention.deletes,
    pinned: (r: Run) => pins.get(r.id) ?? r.pinned ?? false,
    onPin: canWrite ? (r: Run, p: boolean) => (setPins(new Map(pins).set(r.id, p)), retention.reload()) : undefined,
  };

  // A brush in the plots narrows the table to the runs inside it.
  const shown = useMemo(() => (brushed ? runs.filter((r) => brushed.has(r.id)) : runs), [runs, brushed]);
  const rows: Row[] = useMemo(() => (group ? groupRows(shown, group) : shown.map((run) => ({ run }))), [shown, group]);
  const selectedRuns = useMemo(() => runs.filter((r) => selected.has(r.id)), [runs, selected]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest("input,textarea,select")) return;
      if (e.key === "/") (e.preventDefault(), filterBox.current?.focus());
      if (e.key === "c" && selected.size >= 2) compare();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  function compare() {
    navigate(compareHref(project, [...selected].slice(0, COMPARE_MAX)));
  }
  const reload = () => setTick((t) => t + 1);
  const afterChange = (what: string) => (setNote(what), setSelected(new Set()), reload());
  const afterDelete = (ids: string[]) => (setUndo(ids), setNote(null), setSelected(new Set()), reload());
  const act = async (ids: string[], action: "archive" | "unarchive" | "delete" | "restore", what: string) => {
    try {
      await bulkRuns(projectId, ids, { action });
      if (action === "delete") afterDelete(ids);
      else afterChange(what);
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  const toggleStatus = (s: string) => setQuery({ status: (statusChips.includes(s) ? statusChips.filter((x) => x !== s) : [...statusChips, s]).join(",") || null });
  const n = Math.min(selected.size, COMPARE_MAX);
  const applyFilter = (t: string) => (setDraft(t), setQuery({ q: t || null }));
  useEffect(() => {
    if (!note) return;
    const t = setTimeout(() => setNote(null), 8000);
    return () => clearTimeout(t);
  }, [note]);

  return (
    <section class="page runs-page">
      <TeamCrumbs project={byId && info.data ? { id: project, name: info.data } : project} />
      <div class="page-head">
        <h1>{title}</h1>
        <span class="muted" data-testid="run-count">
          {state ? `${runs.length.toLocaleString()}${state.done ? "" : "+"} run${runs.length === 1 ? "" : "s"}` : ""}
          {state && !state.done && <span class="spinner inline" aria-label="loading more" />}
        </span>
        <div class="spacer" />
        <nav class="runs-links" aria-label="Project">
          <a class="button ghost" href={workspaceHref(project)}>
            Charts
          </a>
          <a class="button ghost" href={artifactsHref(project)}>
            Artifacts
          </a>
          <a class="button ghost" href={reportsHref(project)}>
            Reports
          </a>
        </nav>
        <button class="primary" disabled={selected.size < 2} onClick={compare} title={selected.size < 2 ? "Select two or more runs to compare (key: c)" : "Key: c"}>
          {n === 0 ? "Compare runs" : n === 1 ? "Compare 1 run" : `Compare ${n} runs`}
        </button>
      </div>
      <div class="toolbar">
        <RunsFilterBox draft={draft} setDraft={setDraft} onApply={applyFilter} known={known} inputRef={filterBox} />
        <form
          class="name-search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ name: nameDraft.trim() || null });
          }}
        >
          <input type="search" value={nameDraft} aria-label="Search run names" placeholder="Search names…" onInput={(e) => setNameDraft((e.target as HTMLInputElement).value)} />
        </form>
        <div class="chips" role="group" aria-label="Status">
          {STATUSES.map((s) => (
            <button class={`chip status-${s} ${statusChips.includes(s) ? "on" : ""}`} aria-pressed={statusChips.includes(s)} onClick={() => toggleStatus(s)}>
              {s}
            </button>
          ))}
        </div>
        <label class="check">
          Group by
          <select value={group} aria-label="Group by" onChange={(e) => setQuery({ group: (e.target as HTMLSelectElement).value || null })}>
            <option value="">none</option>
            {cKeys.map((k) => (
              <option value={k}>{k}</option>
            ))}
          </select>
        </label>
        <ColumnPicker configKeys={cKeys} metricKeys={mKeys} chosen={columns} onChange={setCols} />
        <label class="check">
          <input type="checkbox" checked={showArchived} onChange={() => setQuery({ archived: showArchived ? null : "1" })} /> Show archived
        </label>
        <button class={`ghost ${plots ? "on" : ""}`} aria-pressed={plots} onClick={() => (setPlots(!plots), plots && setBrushed(null))}>
          Plots
        </button>
        <button class="ghost" onClick={reload} title="Reload runs" aria-label="Reload runs">
          ↻
        </button>
      </div>
      <FilterIssues applied={text} issues={parsed.issues} onApply={applyFilter} />
      {plots && (
        <div class="runs-plots-wrap" data-testid="runs-plots-panel">
          <RunsPlots runs={runs} onFilter={setBrushed} />
        </div>
      )}
      {brushed && (
        <p class="brushed">
          <span class="chip on" data-testid="brushed">
            {brushed.size} run{brushed.size === 1 ? "" : "s"} brushed ·{" "}
            <button class="linkish" onClick={() => setBrushed(null)}>
              clear
            </button>
          </span>
        </p>
      )}
      {selected.size > 0 && (
        <RunsBulkBar selected={selectedRuns} canWrite={canWrite} project={projectId} onDone={afterChange} onDeleted={afterDelete} onClear={() => setSelected(new Set())} />
      )}
      {note && (
        <p class="notice small" role="status">
          {note}
        </p>
      )}
      {undo && <RunsUndo count={undo.length} onUndo={() => (setUndo(null), act(undo, "restore", `Restored ${undo.length} run${undo.length === 1 ? "" : "s"}`))} onGone={() => setUndo(null)} />}
      {state?.error && <ErrorBox error={state.error} retry={reload} />}
      {!state ? (
        <Loading what="Loading runs" />
      ) : runs.length === 0 && state.done && !state.error ? (
        text || search || statusChips.length ? (
          <Empty title="No runs match">
            <p>
              {[text, search && `name contains "${search}"`, statusChips.length && `status ${statusChips.join(" or ")}`].filter(Boolean).join("; ")} matched no run. Loosen the filter or{" "}
              <a href={projectHref(project)}>clear it</a>.
            </p>
          </Empty>
        ) : (
          <Empty title="No runs in this project yet">
            <p>Start one from your training code; it shows up here as soon as it starts.</p>
            <SetupSnippet project={title || project} />
          </Empty>
        )
      ) : (
        <RunsTable
          rows={rows}
          columns={columns}
          orderBy={orderBy}
          onSort={(col) => setQuery({ sort: orderBy === col ? `-${col}` : orderBy === `-${col}` ? col : `-${col}` })}
          selected={selected}
          onSelect={setSelected}
          retention={marks}
          onMenu={(run, r) => setMenu({ run, x: r.right, y: r.bottom + 2 })}
        />
      )}
      {menu && (
        <RunsRowMenu
          at={menu}
          canWrite={canWrite}
          onClose={() => setMenu(null)}
          onArchive={(r, a) => act([r.id], a ? "archive" : "unarchive", `${a ? "Archived" : "Unarchived"} ${r.name}`)}
          onDelete={(r) => act([r.id], "delete", "")}
        />
      )}
    </section>
  );
}

function groupRows(runs: Run[], key: string): Row[] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const v = configAt(r.config, key);
    const label = v === undefined ? "(not set)" : fmtValue(v);
    let g = groups.get(label);
    if (!g) groups.set(label, (g = []));
    g.push(r);
  }
  const out: Row[] = [];
  for (const [label, rs] of groups) {
    out.push({ group: { key, label, runs: rs } });
    for (const run of rs) out.push({ run });
  }
  return out;
}
