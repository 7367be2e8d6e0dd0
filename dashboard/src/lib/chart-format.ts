import type uPlot from "uplot";

// Axis tick labels: short, never a clipped ".500e-4". Small and large values
// in exponent form with the fewest digits that tell the ticks apart (5e-5,
// 1.2e6), the rest as plain numbers without float noise (0.30000000000000004 → 0.3).
export function tickLabel(v: number, step = 0): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) {
    // Enough mantissa digits to show the tick step, at most 4.
    const digits = step > 0 ? Math.min(4, Math.max(0, Math.floor(Math.log10(a)) - Math.floor(Math.log10(step)))) : 3;
    const [m, e] = v.toExponential(digits).split("e");
    return `${String(Number(m))}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(6)));
}

// A log axis hands over its minor ticks as null (unlabelled): they stay null.
export const tickLabels = (_u: uPlot, ticks: (number | null)[]) => {
  const shown = ticks.filter((t): t is number => t !== null && t !== undefined);
  const step = shown.length > 1 ? Math.abs(shown[1]! - shown[0]!) : 0;
  return ticks.map((t) => (t === null || t === undefined ? (null as unknown as string) : tickLabel(t, step)));
};

// uPlot's axis size hook: as wide as its longest label plus tick and gap, so
// no label is cut at the canvas edge (uPlot sizes a y axis to 50 px by default).
export function axisSize(u: uPlot, values: string[] | null, axisIdx: number, cycle: number): number {
  const axis = u.axes[axisIdx]!;
  // uPlot re-asks after the first layout; settle rather than oscillate.
  if (cycle > 1) return (axis as unknown as { _size: number })._size;
  let size = (axis.ticks?.size ?? 10) + (axis.gap ?? 5) + 4;
  const longest = (values ?? []).reduce((l, v) => (v !== null && v !== undefined && String(v).length > l.length ? String(v) : l), "");
  if (longest) {
    u.ctx.font = (axis.font as unknown as [string])?.[0] ?? "11px system-ui, sans-serif";
    size += u.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(Math.max(size, 32));
}
