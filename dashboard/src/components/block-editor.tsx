import { useState } from "preact/hooks";
import { get, qs } from "../lib/api";
import { blockId, type Block, type ChartBlock } from "../lib/report-types";
import type { MetricInfo, Run } from "../lib/types";
import { useAsync } from "../lib/use-async";
import { BlockView } from "./report-blocks";

// Editing one block: markdown is a textarea with a live preview; other blocks
// show as they will read (their content is chosen when they are added).
export function BlockEditor({ block, onChange }: { block: Block; onChange: (b: Block) => void }) {
  if (block.type !== "markdown") return <BlockView block={block} />;
  return (
    <div class="md-edit">
      <textarea
        aria-label="Markdown text"
        rows={Math.min(20, Math.max(4, block.text.split("\n").length + 1))}
        value={block.text}
        onInput={(e) => onChange({ ...block, text: (e.target as HTMLTextAreaElement).value })}
      />
      <BlockView block={block} />
    </div>
  );
}

// "Add a chart": pick runs of the project, then keys those runs logged.
export function ChartPicker({ project, onAdd, onCancel }: { project: string; onAdd: (b: ChartBlock) => void; onCancel: () => void }) {
  const runs = useAsync((s) => get<{ runs: Run[] }>(`/projects/${encodeURIComponent(project)}/runs${qs({ limit: 200 })}`, s), [project]);
  const [picked, setPicked] = useState<string[]>([]);
  const [keys, setKeys] = useState<string[]>([]);
  const metrics = useAsync(
    async (s) => [...new Set((await Promise.all(picked.map((id) => get<{ metrics: MetricInfo[] }>(`/runs/${id}/metrics`, s)))).flatMap((r) => r.metrics.map((m) => m.key)))].sort(),
    [picked.join()],
  );
  const toggle = (list: string[], set: (l: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  return (
    <div class="card chart-picker" data-testid="chart-picker">
      <h3>Add a chart</h3>
      <fieldset>
        <legend>Runs</legend>
        {!runs.data ? (
          <span class="muted">Loading runs…</span>
        ) : runs.data.runs.length === 0 ? (
          <span class="muted">This project has no runs yet.</span>
        ) : (
          runs.data.runs.map((r) => (
            <label class="check">
              <input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(picked, setPicked, r.id)} /> {r.name}
            </label>
          ))
        )}
      </fieldset>
      <fieldset>
        <legend>Metrics</legend>
        {picked.length === 0 ? (
          <span class="muted">Pick runs first.</span>
        ) : !metrics.data ? (
          <span class="muted">Loading metrics…</span>
        ) : (
          metrics.data.map((k) => (
            <label class="check">
              <input type="checkbox" checked={keys.includes(k)} onChange={() => toggle(keys, setKeys, k)} /> {k}
            </label>
          ))
        )}
      </fieldset>
      <div class="row">
        <button class="primary" disabled={!picked.length || !keys.length} onClick={() => onAdd({ type: "chart", id: blockId(), runs: picked, keys, x: "step", smoothing: 0, log_y: false })}>
          Add chart
        </button>
        <button class="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
