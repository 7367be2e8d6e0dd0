import { useState } from "preact/hooks";

// A dropdown of checkboxes: which config keys and metric summaries are columns.
export function ColumnPicker({ configKeys, metricKeys, chosen, onChange }: { configKeys: string[]; metricKeys: string[]; chosen: string[]; onChange: (c: string[]) => void }) {
  const [q, setQ] = useState("");
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  const ql = q.toLowerCase();
  // Every checkbox names its column in full ("loss min", "config lr"), not just "min".
  const item = (id: string, label: string, name: string, key = label) =>
    key.toLowerCase().includes(ql) && (
      <label class="check">
        <input type="checkbox" aria-label={name} checked={chosen.includes(id)} onChange={() => toggle(id)} /> {label}
      </label>
    );
  return (
    <details class="picker">
      <summary>Columns ({chosen.length})</summary>
      <div class="picker-panel">
        <input type="search" placeholder="Find a key…" aria-label="Find a column" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <h4>Config</h4>
        {configKeys.length ? configKeys.map((k) => item(`config.${k}`, k, `config ${k}`)) : <p class="muted small">No config keys in these runs.</p>}
        <h4>Metrics (last · min · max)</h4>
        {metricKeys.length ? (
          metricKeys.map((k) => (
            <div class="picker-metric">
              {item(`summary.${k}.last`, k, `metric ${k}`)}
              {item(`summary.${k}.min`, "min", `metric ${k} min`, k)}
              {item(`summary.${k}.max`, "max", `metric ${k} max`, k)}
            </div>
          ))
        ) : (
          <p class="muted small">No metrics logged yet.</p>
        )}
      </div>
    </details>
  );
}
