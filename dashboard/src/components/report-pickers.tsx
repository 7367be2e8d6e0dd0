import { useEffect, useRef, useState } from "preact/hooks";
import { get, qs } from "../lib/api";
import { runColor } from "../lib/colors";
import { configKeys } from "../lib/format";
import type { MetricInfo, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";

const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

// Pick runs of a project: the 200 newest, or the server's name search
// (filter name~…) for older ones. Picked runs stay listed (first) while the
// search changes, so a pick is never hidden.
export function RunPicker({ project, picked, onChange, label = "Runs" }: { project: string; picked: Run[]; onChange: (runs: Run[]) => void; label?: string }) {
  const [q, setQ] = useState("");
  const [term, setTerm] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setTerm(q.trim()), 200);
    return () => clearTimeout(t);
  }, [q]);
  const runs = useAsync(
    (s) => get<{ runs: Run[] }>(`/projects/${encodeURIComponent(project)}/runs${qs({ limit: 200, filter: term ? `name~${term}` : undefined })}`, s).then((r) => r.runs),
    [project, term],
  );
  const ids = picked.map((r) => r.id);
  const rest = (runs.data ?? []).filter((r) => !ids.includes(r.id));
  const row = (r: Run) => (
    <label class="check pick-row">
      <input type="checkbox" checked={ids.includes(r.id)} onChange={() => onChange(ids.includes(r.id) ? picked.filter((p) => p.id !== r.id) : [...picked, r])} />
      <span class="swatch" style={{ background: runColor(r.id) }} />
      {r.name}
    </label>
  );
  return (
    <fieldset class="picker" data-testid="run-picker">
      <legend>
        {label} <span class="muted small">({picked.length} picked)</span>
      </legend>
      <input type="search" placeholder="Search runs by name" aria-label="Search runs" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      <div class="pick-list">
        {picked.map(row)}
        {runs.error ? <span class="form-error">{runs.error.message}</span> : !runs.data ? <span class="muted">Loading runs…</span> : rest.map(row)}
        {runs.data && !runs.data.length && !picked.length && <span class="muted">{term ? `No run name contains “${term}”.` : "This project has no runs yet."}</span>}
      </div>
    </fieldset>
  );
}

// Checkboxes over a list of names with a filter box (metric keys, columns).
export function KeyPicker({ label, options, picked, onChange, loading }: { label: string; options: string[]; picked: string[]; onChange: (k: string[]) => void; loading?: boolean }) {
  const [q, setQ] = useState("");
  const shown = options.filter((k) => picked.includes(k) || k.toLowerCase().includes(q.toLowerCase()));
  return (
    <fieldset class="picker" data-testid={`pick-${label.toLowerCase().replace(/\W+/g, "-")}`}>
      <legend>{label}</legend>
      {options.length > 8 && <input type="search" placeholder={`Filter ${label.toLowerCase()}`} aria-label={`Filter ${label.toLowerCase()}`} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />}
      <div class="pick-list">
        {loading ? (
          <span class="muted">Loading…</span>
        ) : options.length === 0 ? (
          <span class="muted">Pick runs first.</span>
        ) : (
          shown.map((k) => (
            <label class="check pick-row">
              <input type="checkbox" checked={picked.includes(k)} onChange={() => onChange(toggle(picked, k))} /> {k}
            </label>
          ))
        )}
      </div>
    </fieldset>
  );
}

// Metric keys the given runs logged (union, sorted).
export function useMetricKeys(runIds: string[]) {
  return useAsync(
    async (s) => [...new Set((await Promise.all(runIds.map((id) => get<{ metrics: MetricInfo[] }>(`/runs/${id}/metrics`, s)))).flatMap((r) => r.metrics.map((m) => m.key)))].sort(),
    [runIds.join()],
  );
}

// Table columns the runs offer: config.<path> and summary.<key>.
export function columnOptions(runs: Run[]): string[] {
  const cfg = new Set<string>();
  const sum = new Set<string>();
  for (const r of runs) {
    configKeys(r.config, "", cfg);
    for (const k of Object.keys(r.summary ?? {})) sum.add(k);
  }
  return [...[...cfg].sort().map((k) => `config.${k}`), ...[...sum].sort().map((k) => `summary.${k}`)];
}

// Runs named by id (a block being edited): fetched once, in order.
export function useRunsById(ids: string[]) {
  const first = useRef(ids);
  return useAsync((s) => Promise.all(first.current.map((id) => get<{ run: Run }>(`/runs/${id}`, s).then((r) => r.run, () => null))).then((rs) => rs.filter((r): r is Run => !!r)), []);
}
