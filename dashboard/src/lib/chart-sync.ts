import type uPlot from "uplot";

// Every chart of a page shares one crosshair: uPlot's cursor sync by x value
// (the same step, or the same time, under the pointer in every chart). Only
// pointer moves are shared: a drag or double-click stays with its chart, whose
// section then zooms through its own state (components/chart-section.tsx).
const SHARED = new Set(["mousemove", "mouseleave", "mouseenter"]);

export const syncOptions: uPlot.Cursor.Sync = {
  key: "sl-charts",
  setSeries: false,
  filters: { pub: (type) => SHARED.has(type) },
};
