import { useState } from "preact/hooks";
import { get } from "../lib/api";
import { blockId, BLOCK_LABELS, splitArtifactRef, type ArtifactBlock, type Block, type ChartBlock, type CompareBlock, type RunsTableBlock } from "../lib/report-types";
import type { Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { columnOptions, KeyPicker, RunPicker, useMetricKeys, useRunsById } from "./report-pickers";

type FormProps<B extends Block> = { project: string; initial?: B; onDone: (b: B) => void; onCancel: () => void };
export type FormType = Exclude<Block["type"], "markdown">;

// The settings of one non-text block, for adding it or changing it later.
export function BlockForm({ type, ...p }: { type: FormType } & FormProps<any>) {
  const Form = { chart: ChartForm, runs_table: TableForm, compare: CompareForm, artifact: ArtifactForm }[type];
  return (
    <div class="card block-form" data-testid="block-form" data-type={type}>
      <h3>
        {p.initial ? "Edit" : "Add"} {BLOCK_LABELS[type].toLowerCase()}
      </h3>
      <Form {...p} />
    </div>
  );
}

function Buttons({ ok, disabled, onCancel, why }: { ok: () => void; disabled: boolean; onCancel: () => void; why?: string }) {
  return (
    <div class="row form-buttons">
      <button class="primary" disabled={disabled} onClick={ok} data-testid="block-form-ok">
        Done
      </button>
      <button class="ghost" onClick={onCancel}>
        Cancel
      </button>
      {why && <span class="muted small">{why}</span>}
    </div>
  );
}

// Picked runs start as the block's (fetched by id) and then are the user's.
function usePickedRuns(ids: string[] | undefined) {
  const loaded = useRunsById(ids ?? []);
  const [picked, setPicked] = useState<Run[] | null>(null);
  return [picked ?? loaded.data ?? [], setPicked, !!ids?.length && !loaded.data && !picked] as const;
}

// A range end: a number (a step, or ms since the epoch), or for a time axis
// also a date as typed ("2026-12-02 14:00").
const numOrNull = (s: string, time = false) => {
  if (s.trim() === "") return null;
  if (Number.isFinite(Number(s))) return Number(s);
  const t = time ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : null;
};

function ChartForm({ project, initial, onDone, onCancel }: FormProps<ChartBlock>) {
  const [runs, setRuns, loading] = usePickedRuns(initial?.runs);
  const [keys, setKeys] = useState(initial?.keys ?? []);
  const [title, setTitle] = useState(initial?.title ?? "");
  const [x, setX] = useState<"step" | "time">(initial?.x ?? "step");
  const [smoothing, setSmoothing] = useState(initial?.smoothing ?? 0);
  const [logY, setLogY] = useState(initial?.log_y ?? false);
  const [from, setFrom] = useState(initial?.range ? String(initial.range[0]) : "");
  const [to, setTo] = useState(initial?.range ? String(initial.range[1]) : "");
  const options = useMetricKeys(runs.map((r) => r.id));
  const [a, b] = [numOrNull(from, x === "time"), numOrNull(to, x === "time")];
  const rangeError = (from.trim() || to.trim()) && (a === null || b === null ? `Give both ends of the range, as ${x === "time" ? "dates or ms since the epoch" : "steps"}.` : a >= b ? "The range must start before it ends." : "");
  const why = loading ? "Loading…" : !runs.length ? "Pick at least one run." : !keys.length ? "Pick at least one metric." : rangeError || "";
  const done = () => {
    const block: ChartBlock = { type: "chart", id: initial?.id ?? blockId(), runs: runs.map((r) => r.id), keys, x, smoothing, log_y: logY };
    if (title.trim()) block.title = title.trim();
    if (a !== null && b !== null) block.range = [a, b];
    onDone(block);
  };
  return (
    <>
      <label class="field">
        Title <input value={title} maxLength={200} placeholder="Optional" aria-label="Chart title" onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
      </label>
      <RunPicker project={project} picked={runs} onChange={setRuns} />
      <KeyPicker label="Metrics" options={options.data ?? []} loading={runs.length > 0 && !options.data} picked={keys} onChange={setKeys} />
      <div class="row form-row">
        <label class="field">
          X axis
          <select value={x} aria-label="X axis" onChange={(e) => setX((e.target as HTMLSelectElement).value as "step")}>
            <option value="step">Step</option>
            <option value="time">Time</option>
          </select>
        </label>
        <label class="field">
          Smoothing <span class="muted small">{smoothing.toFixed(2)}</span>
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} aria-label="Smoothing" onInput={(e) => setSmoothing(Number((e.target as HTMLInputElement).value))} />
        </label>
        <label class="check">
          <input type="checkbox" checked={logY} aria-label="Log scale y" onChange={() => setLogY(!logY)} /> Log y
        </label>
      </div>
      <div class="row form-row">
        <span class="muted">Initial zoom {x === "time" ? "(dates or ms since the epoch)" : "(steps)"}</span>
        <input class="num-input" inputMode="decimal" aria-label="Range from" placeholder="from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        <input class="num-input" inputMode="decimal" aria-label="Range to" placeholder="to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        <span class="muted small">Empty: the full range.</span>
      </div>
      <Buttons ok={done} disabled={!!why} why={why} onCancel={onCancel} />
    </>
  );
}

function TableForm({ project, initial, onDone, onCancel }: FormProps<RunsTableBlock>) {
  const [runs, setRuns, loading] = usePickedRuns(initial?.runs);
  const [columns, setColumns] = useState(initial?.columns ?? []);
  const [order, setOrder] = useState(initial?.order_by?.replace(/^-/, "") ?? "");
  const [desc, setDesc] = useState(!!initial?.order_by?.startsWith("-"));
  const options = columnOptions(runs);
  const why = loading ? "Loading…" : !runs.length ? "Pick at least one run." : "";
  const done = () => {
    const block: RunsTableBlock = { type: "runs_table", id: initial?.id ?? blockId(), runs: runs.map((r) => r.id), columns };
    if (order) block.order_by = `${desc ? "-" : ""}${order}`;
    onDone(block);
  };
  return (
    <>
      <RunPicker project={project} picked={runs} onChange={setRuns} />
      <KeyPicker label="Columns" options={options} picked={columns} onChange={setColumns} />
      <div class="row form-row">
        <label class="field">
          Sort rows by
          <select value={order} aria-label="Sort rows by" onChange={(e) => setOrder((e.target as HTMLSelectElement).value)}>
            <option value="">Picked order</option>
            <option value="name">name</option>
            {options.map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={desc} disabled={!order} aria-label="Descending" onChange={() => setDesc(!desc)} /> Descending
        </label>
      </div>
      <Buttons ok={done} disabled={!!why} why={why} onCancel={onCancel} />
    </>
  );
}

function CompareForm({ project, initial, onDone, onCancel }: FormProps<CompareBlock>) {
  const [runs, setRuns, loading] = usePickedRuns(initial?.runs);
  const [keys, setKeys] = useState(initial?.keys ?? []);
  const options = useMetricKeys(runs.map((r) => r.id));
  const why = loading ? "Loading…" : runs.length < 2 ? "Pick at least two runs." : "";
  return (
    <>
      <p class="muted small">Shows the config that differs and parallel coordinates; pick metrics to chart them too.</p>
      <RunPicker project={project} picked={runs} onChange={setRuns} />
      <KeyPicker label="Metrics to chart" options={options.data ?? []} loading={runs.length > 0 && !options.data} picked={keys} onChange={setKeys} />
      <Buttons ok={() => onDone({ type: "compare", id: initial?.id ?? blockId(), runs: runs.map((r) => r.id), keys })} disabled={!!why} why={why} onCancel={onCancel} />
    </>
  );
}

type ArtifactInfo = { name: string; project_id: string };
type VersionInfo = { version: number | null; aliases: string[]; state: string };

function ArtifactForm({ project, initial, onDone, onCancel }: FormProps<ArtifactBlock>) {
  const start = initial ? splitArtifactRef(initial.artifact) : { name: "", ref: "latest" };
  const [name, setName] = useState(start.name);
  const [ref, setRef] = useState(start.ref);
  const [path, setPath] = useState(initial?.path ?? "");
  const proj = initial?.project_id ?? project;
  const list = useAsync((s) => get<{ artifacts: ArtifactInfo[] }>(`/projects/${encodeURIComponent(proj)}/artifacts`, s).then((r) => r.artifacts), [proj]);
  const base = `/projects/${encodeURIComponent(proj)}/artifacts/${encodeURIComponent(name)}`;
  const versions = useAsync((s) => (name ? get<{ versions: VersionInfo[] }>(base, s).then((r) => r.versions.filter((v) => v.state === "committed")) : Promise.resolve([])), [base]);
  const files = useAsync((s) => (name && ref ? get<{ files: { path: string }[] }>(`${base}/versions/${encodeURIComponent(ref)}`, s).then((r) => r.files) : Promise.resolve([])), [base, ref]);
  const refs = [...new Set((versions.data ?? []).flatMap((v) => [...v.aliases, `v${v.version}`]))];
  const projectId = list.data?.find((a) => a.name === name)?.project_id ?? initial?.project_id;
  const why = !name ? "Pick an artifact." : !ref ? "Pick a version." : files.error ? files.error.message : "";
  const done = () => {
    const block: ArtifactBlock = { type: "artifact", id: initial?.id ?? blockId(), artifact: `${name}:${ref}` };
    if (projectId) block.project_id = projectId;
    if (path) block.path = path;
    onDone(block);
  };
  return (
    <>
      {list.error && <p class="form-error">{list.error.message}</p>}
      <div class="row form-row">
        <label class="field">
          Artifact
          <select value={name} aria-label="Artifact" onChange={(e) => (setName((e.target as HTMLSelectElement).value), setRef("latest"), setPath(""))}>
            <option value="">{!list.data ? "Loading…" : list.data.length ? "Pick one" : "This project has no artifacts"}</option>
            {list.data?.map((a) => (
              <option value={a.name}>{a.name}</option>
            ))}
          </select>
        </label>
        <label class="field">
          Version
          <select value={ref} aria-label="Version" disabled={!name} onChange={(e) => (setRef((e.target as HTMLSelectElement).value), setPath(""))}>
            {(refs.length ? refs : [ref]).map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </label>
        <label class="field">
          File
          <select value={path} aria-label="File" disabled={!files.data?.length} onChange={(e) => setPath((e.target as HTMLSelectElement).value)}>
            <option value="">All files</option>
            {files.data?.map((f) => (
              <option value={f.path}>{f.path}</option>
            ))}
          </select>
        </label>
      </div>
      <Buttons ok={done} disabled={!!why} why={why} onCancel={onCancel} />
    </>
  );
}
