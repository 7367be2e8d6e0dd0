import { useEffect, useRef, useState } from "preact/hooks";
import { configAt, fmtAgo, fmtDuration, fmtNum, fmtValue, num } from "../lib/format";
import { SORTABLE } from "../lib/filter";
import { navigate } from "../lib/router";
import type { Run } from "../lib/types";
import { PinButton, RetentionBadge } from "./retention";
import { VirtualList } from "./virtual-list";
import { runHref } from "../lib/links";

// Retention marks: runs deleted within 7 days, and the pin that keeps a run
// (onPin absent: the viewer cannot write, so the pin is shown, not offered).
export type RetentionMarks = { deletes: Map<string, string>; pinned: (r: Run) => boolean; onPin?: (r: Run, pinned: boolean) => void };

export type Row = { run: Run; group?: undefined } | { group: { key: string; label: string; runs: Run[] }; run?: undefined };
const ROW = 28;
const FIXED = [
  { id: "name", label: "Name", width: 220 },
  { id: "status", label: "Status", width: 90 },
  { id: "keep", label: "Retention", width: 170 },
  { id: "created_at", label: "Created", width: 96 },
  { id: "duration", label: "Duration", width: 84 },
  { id: "tags", label: "Tags", width: 150 },
];

function colLabel(id: string) {
  if (id.startsWith("config.")) return id.slice(7);
  const m = SUMMARY_COL.exec(id);
  return m ? (m[2] === "last" ? m[1]! : `${m[1]} (${m[2]})`) : id;
}

// Config and metric columns may share a name (lr): a small tag tells them apart.
function colKind(id: string): string | null {
  return id.startsWith("config.") ? "config" : SUMMARY_COL.test(id) ? "metric" : null;
}

// A running run's duration, counted on from the page's clock between refreshes.
function duration(r: Run, now: number): number | null {
  return r.status === "running" ? Math.max(0, now - Date.parse(r.created_at)) : r.duration_ms;
}

// Ticks once a second while any shown run is running.
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

const SUMMARY_COL = /^summary\.(.+)\.(last|min|max)$/;

function cell(run: Run, id: string): string {
  if (id.startsWith("config.")) return fmtValue(configAt(run.config, id.slice(7)));
  const m = SUMMARY_COL.exec(id);
  return m ? fmtNum(run.summary?.[m[1]!]?.[m[2] as "last" | "min" | "max"]) : "";
}

function summaryValue(run: Run, id: string): number {
  const m = SUMMARY_COL.exec(id);
  return m ? num(run.summary?.[m[1]!]?.[m[2] as "last" | "min" | "max"] ?? null) : NaN;
}

// Virtual-scrolled runs table; keyboard: ↑/↓ move, Space or x selects, Enter opens.
export function RunsTable({ rows, columns, orderBy, onSort, selected, onSelect, retention, onMenu }: { rows: Row[]; columns: string[]; orderBy: string; onSort: (col: string) => void; selected: Set<string>; onSelect: (s: Set<string>) => void; retention?: RetentionMarks; onMenu?: (r: Run, at: DOMRect) => void }) {
  const [cursor, setCursor] = useState(0);
  const scroller = useRef<HTMLDivElement | null>(null);
  const cols = [...FIXED, ...columns.map((id) => ({ id, label: colLabel(id), width: 110 }))];
  const menuCol = onMenu ? 36 : 0;
  const template = `32px ${cols.map((c) => `${c.width}px`).join(" ")}${menuCol ? ` ${menuCol}px` : ""}`;
  const width = 32 + menuCol + cols.reduce((n, c) => n + c.width, 0);
  const runsShown = rows.filter((r) => r.run).map((r) => r.run!);
  const now = useNow(runsShown.some((r) => r.status === "running"));
  // The bench reads when the table first showed rows on this page load.
  useEffect(() => {
    const w = window as unknown as { __slRunsTable?: number };
    if (rows.length && w.__slRunsTable === undefined) w.__slRunsTable = performance.now();
  }, [rows.length > 0]);

  const toggle = (id: string) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    onSelect(s);
  };
  const move = (i: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, i));
    setCursor(next);
    const el = scroller.current;
    if (el) {
      if (next * ROW < el.scrollTop) el.scrollTop = next * ROW;
      else if ((next + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (next + 1) * ROW - el.clientHeight;
    }
  };
  const onKey = (e: KeyboardEvent) => {
    const row = rows[cursor];
    if (e.key === "ArrowDown" || e.key === "j") (e.preventDefault(), move(cursor + 1));
    else if (e.key === "ArrowUp" || e.key === "k") (e.preventDefault(), move(cursor - 1));
    else if (e.key === "PageDown") (e.preventDefault(), move(cursor + 20));
    else if (e.key === "PageUp") (e.preventDefault(), move(cursor - 20));
    else if ((e.key === " " || e.key === "x") && row?.run) (e.preventDefault(), toggle(row.run.id));
    else if (e.key === "Enter" && row?.run) navigate(runHref(row.run.project_id, row.run.id));
  };

  const sortMark = (id: string) => (orderBy === id ? " ▲" : orderBy === `-${id}` ? " ▼" : "");
  const allOn = runsShown.length > 0 && runsShown.every((r) => selected.has(r.id));
  return (
    <div class="table-wrap">
      <div class="rt" style={{ width: `${width}px` }}>
        <div class="rt-head" style={{ gridTemplateColumns: template }} role="row">
          <span>
            <input type="checkbox" aria-label="Select all loaded runs" checked={allOn} onChange={() => onSelect(allOn ? new Set() : new Set(runsShown.map((r) => r.id)))} />
          </span>
          {cols.map((c) => {
            const kind = colKind(c.id);
            return SORTABLE(c.id) ? (
              <button class={`th ${c.id.includes(".") ? "num" : ""}`} role="columnheader" data-col={c.id} title={`Sort by ${c.id}`} aria-label={kind ? `${c.label} (${kind}), sort` : undefined} onClick={() => onSort(c.id)}>
                {kind && <span class={`col-kind ${kind}`}>{kind}</span>}
                <span class="col-name">{c.label}</span>
                {sortMark(c.id)}
              </button>
            ) : (
              <span class="th" role="columnheader" data-col={c.id}>
                {c.label}
              </span>
            );
          })}
          {menuCol > 0 && <span class="th" role="columnheader" aria-label="Actions" />}
        </div>
        <div tabIndex={0} onKeyDown={onKey} class="rt-body" data-testid="runs-table" aria-label="Runs; arrow keys move, space selects, enter opens">
          <VirtualList
            count={rows.length}
            rowHeight={ROW}
            height={`min(${rows.length * ROW + 2}px, calc(100vh - 230px))`}
            onScrollEl={(el) => (scroller.current = el)}
            render={(i) => {
              const row = rows[i]!;
              if (row.group) {
                const g = row.group;
                return (
                  <div class="rt-row group" style={{ gridTemplateColumns: template }} key={`g:${g.label}`} data-group={g.label}>
                    <span />
                    <span class="grp" style={{ gridColumn: `2 / span ${FIXED.length}` }}>
                      {g.key} = <strong>{g.label}</strong> <span class="muted">({g.runs.length})</span>
                    </span>
                    {columns.map((c) => (
                      <span class="num muted" data-col={c} title={c.startsWith("summary.") ? `mean of ${colLabel(c)} over the group` : undefined}>
                        {c.startsWith("summary.") ? fmtNum(mean(g.runs.map((r) => summaryValue(r, c)))) : c === `config.${g.key}` ? g.label : ""}
                      </span>
                    ))}
                    {menuCol > 0 && <span />}
                  </div>
                );
              }
              const r = row.run;
              return (
                <div class={`rt-row ${i === cursor ? "cursor" : ""} ${selected.has(r.id) ? "selected" : ""}`} style={{ gridTemplateColumns: template }} key={r.id} data-run={r.id} onClick={() => setCursor(i)}>
                  <span>
                    <input type="checkbox" aria-label={`Select ${r.name}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                  </span>
                  <span class="name-cell">
                    <a href={runHref(r.project_id, r.id)} class="name" title={r.name}>
                      {r.name}
                    </a>
                    {(r as Run & { archived_at?: string | null }).archived_at && <span class="badge archived">archived</span>}
                  </span>
                  <span>
                    <span class={`badge status-${r.status}`}>{r.status}</span>
                  </span>
                  <span class="keep-cell">{retention && <Keep run={r} marks={retention} />}</span>
                  <span class="muted" title={r.created_at}>
                    {fmtAgo(r.created_at)}
                  </span>
                  <span class="num" data-col="duration">{fmtDuration(duration(r, now))}</span>
                  <span class="tags-cell" title={r.tags.join(", ")}>
                    {r.tags.map((t) => (
                      <span class="tag">{t}</span>
                    ))}
                  </span>
                  {columns.map((c) => (
                    <span class="num" data-col={c}>
                      {cell(r, c)}
                    </span>
                  ))}
                  {onMenu && (
                    <span class="menu-cell">
                      <button class="ghost small" aria-label={`Actions for ${r.name}`} aria-haspopup="menu" onClick={(e) => onMenu(r, (e.currentTarget as HTMLElement).getBoundingClientRect())}>
                        ⋯
                      </button>
                    </span>
                  )}
                </div>
              );
            }}
          />
        </div>
      </div>
    </div>
  );
}

function Keep({ run, marks }: { run: Run; marks: RetentionMarks }) {
  const pinned = marks.pinned(run);
  const deletes = marks.deletes.get(run.id);
  return (
    <>
      {marks.onPin ? <PinButton runId={run.id} runName={run.name} pinned={pinned} small onChange={(p) => marks.onPin!(run, p)} /> : pinned ? <span class="badge">📌 pinned</span> : null}
      {deletes && !pinned && <RetentionBadge deletesAt={deletes} />}
    </>
  );
}

function mean(xs: number[]) {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : null;
}
