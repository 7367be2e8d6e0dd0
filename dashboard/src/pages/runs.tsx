import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ColumnPicker } from "../components/column-picker";
import { useRetention } from "../components/retention";
import { RunsTable, type Row } from "../components/runs-table";
import { Empty, ErrorBox, Loading } from "../components/states";
import { get } from "../lib/api";
import { configAt, configKeys, fmtValue } from "../lib/format";
import { parseFilter } from "../lib/filter";
import { navigate, setQuery, useLocation } from "../lib/router";
import { useSession } from "../lib/session";
import type { Project, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { useRuns } from "../lib/use-runs";
import { compareHref, projectHref, reportsHref } from "../lib/links";

const STATUSES = ["running", "finished", "failed", "crashed", "killed"];
export const COMPARE_MAX = 50;

export function RunsPage({ project }: { project: string }) {
  const loc = useLocation();
  const text = loc.query.get("q") ?? "";
  const [draft, setDraft] = useState(text);
  const statusChips = (loc.query.get("status") ?? "").split(",").filter(Boolean);
  const orderBy = loc.query.get("sort") ?? "-created_at";
  const group = loc.query.get("group") ?? "";
  const colsKey = `sl-cols:${project}`;
  const [cols, setColsState] = useState<string[] | null>(() => JSON.parse(localStorage.getItem(colsKey) ?? "null"));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [tick, setTick] = useState(0);
  const filterBox = useRef<HTMLInputElement>(null);

  const parsed = useMemo(() => parseFilter(text), [text]);
  const q = useMemo(() => ({ ...parsed, status: [...new Set([...parsed.status, ...statusChips])] }), [parsed, statusChips.join()]);
  const state = useRuns(project, q, orderBy, tick);
  // Projects whose names are not URL-safe are opened by id: show the name.
  const byId = project.startsWith("prj_");
  const info = useAsync((s) => (byId ? get<{ project: Project }>(`/projects/${project}`, s).then((r) => r.project.name) : Promise.resolve(project)), [project]);
  const title = info.data ?? (byId ? "" : project);
  useEffect(() => {
    if (title) document.title = `${title} · Sightline`;
  }, [title]);

  // Keys for the column picker and group-by come from the runs loaded so far.
  const runs = state?.runs ?? [];
  const sample = runs.length > 2000 ? runs.slice(0, 2000) : runs;
  const { cKeys, mKeys } = useMemo(() => {
    const c = new Set<string>();
    const m = new Set<string>();
    for (const r of sample) {
      configKeys(r.config, "", c);
      for (const k of Object.keys(r.summary ?? {})) m.add(k);
    }
    return { cKeys: [...c].sort(), mKeys: [...m].sort() };
  }, [sample.length, state?.runs[0]?.id]);
  // Until the user picks, show the first few config keys and metrics.
  const columns = cols ?? [...cKeys.slice(0, 4).map((k) => `config.${k}`), ...mKeys.slice(0, 4).map((k) => `summary.${k}.last`)];
  const setCols = (c: string[]) => (localStorage.setItem(colsKey, JSON.stringify(c)), setColsState(c));

  // Retention: which runs go within 7 days; pins made here show at once.
  const canWrite = useSession()?.session.scopes.includes("write") ?? false;
  const retention = useRetention(byId ? project : runs[0]?.project_id);
  const [pins, setPins] = useState<Map<string, boolean>>(new Map());
  const marks = {
    deletes: retention.deletes,
    pinned: (r: Run) => pins.get(r.id) ?? r.pinned ?? false,
    onPin: canWrite ? (r: Run, p: boolean) => (setPins(new Map(pins).set(r.id, p)), retention.reload()) : undefined,
  };

  const rows: Row[] = useMemo(() => (group ? groupRows(runs, group) : runs.map((run) => ({ run }))), [runs, group]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest("input,textarea,select")) return;
      if (e.key === "/") (e.preventDefault(), filterBox.current?.focus());
      if (e.key === "c" && selected.size >= 1) compare();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  function compare() {
    navigate(compareHref(project, [...selected].slice(0, COMPARE_MAX)));
  }
  const toggleStatus = (s: string) => setQuery({ status: (statusChips.includes(s) ? statusChips.filter((x) => x !== s) : [...statusChips, s]).join(",") || null });

  return (
    <section class="page runs-page">
      <div class="page-head">
        <h1>{title}</h1>
        <span class="muted" data-testid="run-count">
          {state ? `${runs.length.toLocaleString()}${state.done ? "" : "+"} run${runs.length === 1 ? "" : "s"}` : ""}
          {state && !state.done && <span class="spinner inline" aria-label="loading more" />}
        </span>
        <div class="spacer" />
        <a class="button ghost" href={reportsHref(project)}>
          Reports
        </a>
        <button class="primary" disabled={selected.size < 1} onClick={compare} title="Key: c">
          Compare {selected.size ? `(${Math.min(selected.size, COMPARE_MAX)})` : ""}
        </button>
      </div>
      <div class="toolbar">
        <form
          class="filter"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ q: draft.trim() || null });
          }}
        >
          <input
            ref={filterBox}
            type="search"
            value={draft}
            aria-label="Filter runs"
            placeholder="Filter: name, status:running, tag:baseline, config.lr>=0.01, summary.loss.min<0.3   (press / )"
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
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
        <button class="ghost" onClick={() => setTick((t) => t + 1)} title="Reload runs">
          ↻
        </button>
      </div>
      {parsed.errors.length > 0 && <p class="form-error">{parsed.errors.join("; ")}</p>}
      {state?.error && <ErrorBox error={state.error} retry={() => setTick((t) => t + 1)} />}
      {!state ? (
        <Loading what="Loading runs" />
      ) : runs.length === 0 && state.done && !state.error ? (
        text || statusChips.length ? (
          <Empty title="No runs match">
            <p>
              Loosen the filter or <a href={projectHref(project)}>clear it</a>.
            </p>
          </Empty>
        ) : (
          <Empty title="No runs in this project yet">
            <p>Start one from your training code; it shows up here as soon as it starts.</p>
            <pre class="code">{`import sightline\nrun = sightline.init(project=${JSON.stringify(title || project)}, config={"lr": 0.01})\nfor step in range(100):\n    run.log({"loss": 1 / (step + 1)}, step=step)\nrun.finish()`}</pre>
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
