import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Field, Range } from "./plot-fields";

// The width a plot may take: its box's, followed as the window resizes.
export function useWidth<T extends HTMLElement>(fallback = 600) {
  const [el, setEl] = useState<T | null>(null);
  const [w, setW] = useState(fallback);
  useEffect(() => {
    if (!el) return;
    const set = () => setW(Math.max(200, Math.floor(el.clientWidth)));
    set();
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return { ref: setEl, width: w, el };
}

// A tooltip beside the pointer, kept inside its plot's box.
export function PlotTooltip({ x, y, width, children }: { x: number; y: number; width: number; children: ComponentChildren }) {
  const left = x + 240 > width ? Math.max(4, x - 232) : x + 14;
  return (
    <div class="plot-tip" role="tooltip" data-testid="plot-tooltip" style={{ left: `${left}px`, top: `${Math.max(4, y - 10)}px` }}>
      {children}
    </div>
  );
}

// Which fields are axes, and which of them use a log scale.
export function FieldPicker({ fields, chosen, logs, onChosen, onLog }: { fields: Field[]; chosen: string[]; logs: Set<string>; onChosen: (ids: string[]) => void; onLog: (id: string, on: boolean) => void }) {
  const [q, setQ] = useState("");
  const shown = fields.filter((f) => f.id.toLowerCase().includes(q.toLowerCase()));
  const toggle = (id: string, on: boolean) => onChosen(on ? [...chosen, id] : chosen.filter((c) => c !== id));
  return (
    <details class="picker plots-picker">
      <summary aria-label="Choose plot fields">Fields ({chosen.length})</summary>
      <div class="picker-panel" data-testid="plot-fields">
        <input type="search" placeholder="Find a field…" aria-label="Find a field" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        {shown.map((f) => (
          <div class="plots-field">
            <label class="check">
              <input type="checkbox" checked={chosen.includes(f.id)} onChange={(e) => toggle(f.id, (e.target as HTMLInputElement).checked)} />
              <span title={f.id}>{f.id}</span>
            </label>
            {f.logOk && (
              <label class="check small" title="Logarithmic axis">
                <input type="checkbox" checked={logs.has(f.id)} aria-label={`Log scale for ${f.id}`} onChange={(e) => onLog(f.id, (e.target as HTMLInputElement).checked)} />
                log
              </label>
            )}
          </div>
        ))}
        {shown.length === 0 && <p class="muted small">No field matches.</p>}
      </div>
    </details>
  );
}

// Brushes by field id: set one with a range, clear it with null.
export function useBrushes() {
  const [brushes, setBrushes] = useState<Map<string, Range>>(new Map());
  const brush = (id: string, r: Range | null) =>
    setBrushes((old) => {
      const next = new Map(old);
      if (r) next.set(id, r);
      else next.delete(id);
      return next;
    });
  return { brushes, brush, setBrushes };
}

// The brushed axes, each with its runs' positions (in the order of `axes`).
export const activeBrushes = (axes: Field[], pos: Float64Array[], brushes: Map<string, Range>) =>
  axes.map((f, i) => [brushes.get(f.id), pos[i]!] as const).filter(([b]) => b) as [Range, Float64Array][];
