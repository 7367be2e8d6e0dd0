import type { ChartBlock } from "../lib/report-types";

// "Add to report" from any chart (run page, compare page, project workspace):
// picks a report of the project (or a new one) and appends a chart block with
// this chart's runs, keys, x axis, zoomed range, smoothing and log scale.
// Contract for chart owners: render <AddToReport .../> in each chart's toolbar.
// Issue 12 (report editor helper) builds it; until then it draws nothing.
export type AddToReportProps = {
  project: string; // project id or name
  chart: Omit<ChartBlock, "type" | "id">;
};

export function AddToReport(_props: AddToReportProps) {
  return null;
}
